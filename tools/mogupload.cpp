// mogupload: store a local file (or stdin with --file=-) under a key.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sys/stat.h>

#include "tools/cli/progress.h"
#include "tools/cli/tool_session.h"
#include "tools/cli/utils_tool.h"

namespace {

using mog::cli::Die;

// stdin may be a pipe: spool it to an unlinked temp file so the length is known and the
// upload can be retried on another destination, without holding it in memory.
std::fstream SpoolStdin(uint64_t* length) {
  char path[] = "/tmp/mogupload.XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) Die("Could not create a temporary file to spool stdin", errno);
  close(fd);
  std::fstream spool(path, std::ios::in | std::ios::out | std::ios::binary | std::ios::trunc);
  unlink(path);
  char buf[1 << 16];
  *length = 0;
  while (std::cin.read(buf, sizeof buf) || std::cin.gcount() > 0) {
    spool.write(buf, std::cin.gcount());
    *length += static_cast<uint64_t>(std::cin.gcount());
  }
  if (!spool) Die("error reading file");
  spool.seekg(0);
  return spool;
}

int Main(int argc, const char* const* argv) {
  mog::cli::UtilsTool tool(argv[0],
                           "--trackers=host --domain=foo --key='/hello.jpg' --file='./hello.jpg' "
                           "[--class=<class>]   (--file=- reads stdin)",
                           {{"class=s"}, {"key=s"}, {"file=s"}});
  if (auto parsed = tool.Parse(argc, argv, mog::cli::ToolEnvironment::FromProcess());
      parsed != mog::cli::ParseOutcome::kRun) {
    return tool.UsageExit(parsed);
  }
  auto session = mog::cli::OpenSession(tool);
  // Upstream uploads without a key (allocating a fid, storing nothing) and exits 0.
  const std::string key = tool.Require("key");
  const std::string filename = tool.Require("file");

  std::fstream spooled;
  std::ifstream file;
  std::istream* source = nullptr;
  uint64_t length = 0;
  if (filename == "-") {
    spooled = SpoolStdin(&length);
    source = &spooled;
  } else {
    struct stat st{};
    if (::stat(filename.c_str(), &st) != 0) {
      Die("Could not stat " + filename + ": " + std::strerror(errno), errno);
    }
    // Refused before anything reaches the tracker (upstream allocates a fid first).
    if (S_ISDIR(st.st_mode)) Die("Could not upload " + filename + ": Is a directory", EISDIR);
    file.open(filename, std::ios::binary);
    if (!file) Die("Could not open " + filename + ": " + std::strerror(errno), errno ? errno : 255);
    length = static_cast<uint64_t>(st.st_size);
    source = &file;
  }

  auto opened = session.client->CreateOpen(key, tool.Get("class"));
  if (!opened)
    Die(mog::cli::DescribeFailure(
        "Error opening MogileFS file: ", opened.error(),
        {.key = key, .domain = tool.GetOr("domain", ""), .klass = tool.GetOr("class", "")}));

  mog::cli::ProgressBar bar("uploading", length);
  mog::client::StoreOptions options;
  options.progress = [&](uint64_t done, uint64_t total) { bar.Update(done, total); };
  auto stored = session.client->UploadAndClose(*opened, key, *source, length, options);
  bar.Finish();
  if (!stored) {
    const auto& e = stored.error();
    if (e.kind == mog::client::ClientError::Kind::kTransport) {
      Die(mog::cli::DescribeFailure("", e));
    }
    Die("Error writing file: " + e.code + ": " + e.errstr());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return mog::cli::RunTool(Main, argc, argv); }
