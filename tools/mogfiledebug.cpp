// mogfiledebug: everything the tracker knows about one file (by key or fid), with each
// stored copy checked over HTTP.
#include <openssl/evp.h>

#include <iostream>

#include "tools/cli/file_debug_format.h"
#include "tools/cli/tool_session.h"
#include "tools/cli/utils_tool.h"
#include "client/http_transfer.h"

namespace {

using mog::cli::PathCheck;
using mog::cli::PathsMode;

const char* kUsage =
    "--trackers=host --paths=action --domain=foo --key='/hello.jpg'\n"
    "If FID is known, but domain/key are not known:\n"
    "--trackers=host --fid=123456\n"
    "--paths=action, where action is 'print', 'stat', or 'fetch' (default)";

mog::client::HttpOptions LwpOptions() {
  mog::client::HttpOptions options;
  options.connect_timeout = std::chrono::seconds(10);
  options.io_timeout = std::chrono::seconds(10);
  options.chunk_size = 32 * 1024;
  return options;
}

PathCheck StatPath(const std::string& path) {
  auto got = mog::client::HttpGet(path, [](const char*, size_t) { return true; }, LwpOptions(),
                                  {}, /*head_only=*/true);
  PathCheck check{path, got.status_line, std::nullopt, std::nullopt, ""};
  if (got.content_length >= 0) check.length = got.content_length;
  if (!got.last_modified.empty()) check.mtime = got.last_modified;
  return check;
}

PathCheck FetchPath(const std::string& path) {
  EVP_MD_CTX* md5 = EVP_MD_CTX_new();
  EVP_DigestInit_ex(md5, EVP_md5(), nullptr);
  auto got = mog::client::HttpGet(path, [&](const char* data, size_t size) {
    EVP_DigestUpdate(md5, data, size);
    return true;
  }, LwpOptions());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  EVP_DigestFinal_ex(md5, digest, &digest_len);
  EVP_MD_CTX_free(md5);
  std::string hex;
  for (unsigned i = 0; i < digest_len; ++i) {
    static const char* kHex = "0123456789abcdef";
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  PathCheck check{path, got.status_line, static_cast<int64_t>(got.bytes), std::nullopt, hex};
  if (!got.last_modified.empty()) check.mtime = got.last_modified;
  return check;
}

int Main(int argc, const char* const* argv) {
  mog::cli::UtilsTool tool(argv[0], kUsage, {{"key=s"}, {"fid=i"}, {"paths=s"}});
  if (auto parsed = tool.Parse(argc, argv, mog::cli::ToolEnvironment::FromProcess());
      parsed != mog::cli::ParseOutcome::kRun) {
    return tool.UsageExit(parsed);
  }
  std::string paths = tool.GetOr("paths", "");
  if (paths.empty() || paths == "0") paths = "fetch";
  PathsMode mode;
  if (paths == "print") {
    mode = PathsMode::kPrint;
  } else if (paths == "stat") {
    mode = PathsMode::kStat;
  } else if (paths == "fetch") {
    mode = PathsMode::kFetch;
  } else {
    tool.UsageError("--paths must be print, stat or fetch, not '" + paths + "'");
  }
  const std::string fid = tool.GetOr("fid", "");
  const bool by_fid = !fid.empty() && fid != "0";
  mog::ArgList args;
  if (by_fid) {
    args.emplace_back("fid", fid);
    std::string domain = tool.GetOr("domain", "");
    if (domain.empty() || domain == "0") domain = "mogfiledebug-unset";
    args.emplace_back("domain", domain);
  } else {
    if (tool.GetOr("key", "").empty()) tool.UsageError("--key or --fid is required");
    args.emplace_back("key", tool.GetOr("key", ""));
  }
  auto session = mog::cli::OpenSession(tool, /*need_domain=*/!by_fid);
  auto details = session.client->FileDebug(args);
  if (!details) mog::cli::Die(mog::cli::DescribeFailure("Error fetching fid info: ", details.error()));

  std::vector<PathCheck> checks;
  if (mode != PathsMode::kPrint) {
    for (const std::string& path : mog::cli::DebugPaths(*details)) {
      checks.push_back(mode == PathsMode::kStat ? StatPath(path) : FetchPath(path));
    }
  }
  std::cout << mog::cli::FormatFileDebug(*details, mode, checks);
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return mog::cli::RunTool(Main, argc, argv); }
