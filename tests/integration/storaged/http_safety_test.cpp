// Hostile and broken clients: traversal in every spelling, symlinks out of dev<N>, uploads cut
// off mid-body (client gone, server killed), oversized headers, connection limits.
#include <algorithm>
#include <functional>

#include "tests/integration/storaged/mogstored_fixture.h"
#include <dirent.h>
#include <signal.h>
#include <unistd.h>
#include <utime.h>

namespace mog::test {
namespace {

using HttpSafetyTest = MogstoredTest;

// Every file below `dir` (recursively), hidden ones included, as paths relative to it.
void ListTree(const std::string& dir, const std::string& prefix, std::vector<std::string>* out) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  while (auto* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    std::string path = dir + "/" + name;
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      ListTree(path, prefix + name + "/", out);
    } else {
      out->push_back(prefix + name);
    }
  }
  ::closedir(d);
}

std::vector<std::string> Tree(const std::string& dir) {
  std::vector<std::string> out;
  ListTree(dir, "", &out);
  std::sort(out.begin(), out.end());
  // devN/usage belongs to the usage writer.
  out.erase(std::remove_if(out.begin(), out.end(),
                           [](const std::string& f) { return f.ends_with("/usage"); }),
            out.end());
  return out;
}

TEST_F(HttpSafetyTest, TraversalAttemptsNeverReadOutside) {
  WriteFile(dir_.Sub("secret"), "TOP SECRET");
  WriteFile(Path("secret"), "TOP SECRET");
  const char* targets[] = {
      "/dev1/../secret",
      "/dev1/../../secret",
      "/dev1/%2e%2e/secret",
      "/dev1/%2E%2E/%2e%2e/secret",
      "/dev1/..%2fsecret",
      "/dev1/.%2e/secret",
      "/dev1/x%00/../../secret",
      "/dev1\\..\\secret",
      "/secret",
      "http://127.0.0.2/secret",
      "/dev1/%2e%2e%5csecret",
      "/dev1/..",
  };
  for (const char* target : targets) {
    HttpResponse r = Get(target);
    EXPECT_TRUE(r.status == 400 || r.status == 403 || r.status == 404)
        << target << " -> " << r.status_line;
    EXPECT_EQ(r.body.find("TOP SECRET"), std::string::npos) << target;
  }
}

TEST_F(HttpSafetyTest, WritesOutsideDeviceAreRefused) {
  for (const char* target : {"/dev1/../x.fid", "/dev1/%2e%2e/x.fid", "/x.fid", "/devx/x.fid"}) {
    HttpResponse r = Put(target, "data");
    EXPECT_TRUE(r.status == 400 || r.status == 404) << target << " -> " << r.status_line;
  }
  EXPECT_EQ(Tree(root_), std::vector<std::string>{});
  EXPECT_EQ(Exchange("DELETE /dev1/../../x HTTP/1.0\r\n\r\n").status, 400);
}

TEST_F(HttpSafetyTest, SymlinkOutOfDeviceIsRefusedDeviceSymlinkWorks) {
  TempDir outside;
  WriteFile(outside.Sub("victim"), "OUTSIDE");
  ASSERT_EQ(::symlink(outside.path().c_str(), Path("dev1/out").c_str()), 0);
  ASSERT_EQ(::symlink(outside.Sub("victim").c_str(), Path("dev1/link.fid").c_str()), 0);
  HttpResponse via_dir = Get("/dev1/out/victim");
  EXPECT_EQ(via_dir.status, 403);
  EXPECT_EQ(via_dir.body.find("OUTSIDE"), std::string::npos);
  EXPECT_EQ(Get("/dev1/link.fid").status, 403);
  EXPECT_EQ(Put("/dev1/out/new.fid", "x").status, 403);
  EXPECT_EQ(Put("/dev1/out/sub/new.fid", "x").status, 403);
  EXPECT_EQ(Exchange("DELETE /dev1/out/victim HTTP/1.0\r\n\r\n").status, 403);
  EXPECT_EQ(ReadFileOrEmpty(outside.Sub("victim")), "OUTSIDE");
  std::vector<std::string> outside_files;
  ListTree(outside.path(), "", &outside_files);
  EXPECT_EQ(outside_files, std::vector<std::string>{"victim"});

  // dev2 is a symlink to a "mounted disk": the usual set-up, served normally.
  TempDir disk;
  ASSERT_EQ(::symlink(disk.path().c_str(), Path("dev2").c_str()), 0);
  ASSERT_EQ(Put("/dev2/0/000/000/0000000009.fid", "on disk").status, 200);
  EXPECT_EQ(ReadFileOrEmpty(disk.Sub("0/000/000/0000000009.fid")), "on disk");
  EXPECT_EQ(Get("/dev2/0/000/000/0000000009.fid").body, "on disk");
}

TEST_F(HttpSafetyTest, ClientDisconnectMidPutLeavesNothingVisible) {
  WriteFile(Path("dev1/keep.fid"), "original");
  for (const char* target : {"/dev1/keep.fid", "/dev1/0/000/000/0000000077.fid"}) {
    auto client = Connect();
    ASSERT_TRUE(client->Send(std::string("PUT ") + target +
                             " HTTP/1.0\r\nContent-Length: 1000000\r\n\r\n" +
                             std::string(5000, 'z')));
    ASSERT_TRUE(WaitUntil([&] {
      auto files = Tree(root_);
      return std::any_of(files.begin(), files.end(),
                         [](const std::string& f) { return f.ends_with(".tmp"); });
    })) << "upload never started";
    client->Close();
  }
  // Temp files vanish; the old target is untouched; no new .fid appears.
  EXPECT_TRUE(WaitUntil([&] { return Tree(root_) == std::vector<std::string>{"dev1/keep.fid"}; }))
      << ::testing::PrintToString(Tree(root_));
  EXPECT_EQ(ReadFileOrEmpty(Path("dev1/keep.fid")), "original");
}

TEST_F(HttpSafetyTest, ShortChunkedBodyLeavesNothingVisible) {
  auto client = Connect();
  ASSERT_TRUE(
      client->Send("PUT /dev1/ch.fid HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                   "\r\n10\r\nonly-ten-b"));
  client->ShutdownWrite();
  EXPECT_TRUE(client->PeerClosed());
  EXPECT_TRUE(WaitUntil([&] { return Tree(root_).empty(); }))
      << ::testing::PrintToString(Tree(root_));
}

TEST_F(HttpSafetyTest, KillDashNineDuringPutLeavesNoPartialFid) {
  auto client = Connect();
  ASSERT_TRUE(
      client->Send("PUT /dev1/0/000/000/0000000042.fid HTTP/1.0\r\n"
                   "Content-Length: 10000000\r\n\r\n" +
                   std::string(300000, 'k')));
  ASSERT_TRUE(WaitUntil([&] { return !Tree(root_).empty(); }));
  node_->process().Signal(SIGKILL);
  ASSERT_TRUE(node_->process().WaitExit(std::chrono::seconds(5)).has_value());
  std::vector<std::string> left;
  for (const auto& f : Tree(root_)) {
    EXPECT_FALSE(f.ends_with(".fid")) << f;  // only a hidden .tmp may remain
    if (f.ends_with(".tmp")) left.push_back(f);
  }
  ASSERT_EQ(left.size(), 1u) << ::testing::PrintToString(Tree(root_));

  // The next start sweeps the leftover away (dated as a restart seconds later would see it)
  // and the same upload then succeeds.
  const std::string temp = Path(left[0]);
  struct utimbuf earlier {
    ::time(nullptr) - 10, ::time(nullptr) - 10
  };
  ASSERT_EQ(::utime(temp.c_str(), &earlier), 0);
  node_ = std::make_unique<MogstoredProcess>(root_, ExtraArgs(), dir_.Sub("mogstored2.log"));
  ASSERT_TRUE(node_->WaitReady()) << node_->process().Log();
  EXPECT_TRUE(WaitUntil([&] { return !FileExists(temp); })) << node_->process().Log();
  EXPECT_EQ(Put("/dev1/0/000/000/0000000042.fid", "whole").status, 200);
  EXPECT_EQ(Tree(root_), std::vector<std::string>{"dev1/0/000/000/0000000042.fid"});
}

TEST_F(HttpSafetyTest, OversizedHeaderBlockClosesConnection) {
  auto client = Connect();
  std::string request = "GET /dev1/x HTTP/1.1\r\nHost: x\r\n";
  while (request.size() < 200 * 1024) request += "X-Filler: " + std::string(1000, 'f') + "\r\n";
  client->Send(request + "\r\n");
  EXPECT_TRUE(client->PeerClosed());
  EXPECT_EQ(Get("/").status, 200);  // the server is fine
}

TEST_F(HttpSafetyTest, GarbageRequestsGet400AndAClose) {
  for (const char* junk :
       {"\x01\x02\x03\r\n\r\n", "GET\r\n\r\n", "GET / HTTP/9.9\r\n\r\n",
        "PUT /dev1/x HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
        "PUT /dev1/x HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"}) {
    auto client = Connect();
    client->Send(junk);
    HttpResponse r = ReadHttpResponse(*client);
    EXPECT_EQ(r.status, 400) << ::testing::PrintToString(junk);
    EXPECT_TRUE(client->PeerClosed()) << ::testing::PrintToString(junk);
  }
  EXPECT_FALSE(FileExists(Path("dev1/x")));
  EXPECT_EQ(Get("/").status, 200);
}

class MaxConnsTest : public MogstoredTest {
 protected:
  std::vector<std::string> ExtraArgs() override { return {"--maxconns=2"}; }
};

TEST_F(MaxConnsTest, ConnectionsBeyondTheLimitAreClosed) {
  // Fill both slots with keep-alive connections (retrying while the readiness probe's own
  // connection is still counted).
  std::vector<std::unique_ptr<TcpClient>> held;
  ASSERT_TRUE(WaitUntil([&] {
    auto client = Connect();
    if (!client->Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n") ||
        ReadHttpResponse(*client).status != 200) {
      return false;
    }
    held.push_back(std::move(client));
    return held.size() == 2;
  }));
  auto c = Connect();
  c->Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(c->PeerClosed());
  EXPECT_EQ(ReadHttpResponse(*c).status, 0);
  held.front()->Close();
  EXPECT_TRUE(WaitUntil([&] { return Get("/").status == 200; }));
}

}  // namespace
}  // namespace mog::test
