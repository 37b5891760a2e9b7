// The management side channel of the real mogstored binary, spoken to byte for byte.
#include <chrono>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/net.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mog::storage {
namespace {

using namespace std::chrono_literals;
using test::TcpClient;

constexpr const char* kHost = "127.0.0.2";
constexpr const char* kHelloUri = "/dev1/0/000/000/0000000012.fid";

// coreutils `md5sum`/`sha1sum` (execv: full path) as an independent oracle for the digests the
// daemon computes.
std::string ToolDigest(const std::string& tool, const std::string& path) {
  test::CommandResult r = test::RunCommand({"/usr/bin/" + tool, path});
  return r.output.substr(0, r.output.find(' '));
}

long RssKib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

class SideChannelMogstoredTest : public ::testing::Test {
 protected:
  void SetUp() override {
    docroot_ = dir_.Sub("docroot");
    ASSERT_EQ(mkdir(docroot_.c_str(), 0755), 0);
    for (const char* d : {"dev1", "dev1/0", "dev1/0/000", "dev1/0/000/000", "dev2"}) {
      ASSERT_EQ(mkdir((docroot_ + "/" + d).c_str(), 0755), 0);
    }
    test::WriteFile(docroot_ + kHelloUri, "hello");
    test::WriteFile(docroot_ + "/dev1/0/000/000/0000000013.fid", "");
    mgmt_port_ = test::FreePort(kHost);
    uint16_t http_port = test::FreePort(kHost);
    std::vector<std::string> argv{
        test::BinPath("mogstored"), "--skipconfig", "--docroot=" + docroot_,
        "--httplisten=" + std::string(kHost) + ":" + std::to_string(http_port),
        "--mgmtlisten=" + std::string(kHost) + ":" + std::to_string(mgmt_port_)};
    for (const std::string& arg : ExtraArgs()) argv.push_back(arg);
    node_ = std::make_unique<test::ChildProcess>(argv, dir_.Sub("mogstored.log"));
    ASSERT_TRUE(test::WaitForPort(kHost, mgmt_port_)) << node_->Log();
  }

  void TearDown() override {
    if (HasFailure() && node_) std::cerr << "mogstored log:\n" << node_->Log();
  }

  virtual std::vector<std::string> ExtraArgs() const { return {}; }

  std::unique_ptr<TcpClient> Connect() {
    auto client = std::make_unique<TcpClient>(kHost, mgmt_port_, 10s);
    EXPECT_TRUE(client->connected());
    return client;
  }

  // One request on a fresh connection; the first reply line.
  std::string Ask(const std::string& request) {
    auto client = Connect();
    client->Send(request);
    return client->ReadUntil("\r\n");
  }

  // The daemon is alive and still answers a plain request.
  void ExpectStillServing() {
    EXPECT_TRUE(node_->Running());
    EXPECT_EQ(Ask(std::string("size ") + kHelloUri + "\r\n"), std::string(kHelloUri) + " 5\r\n");
  }

  test::TempDir dir_{"sidechannel"};
  std::string docroot_;
  uint16_t mgmt_port_ = 0;
  std::unique_ptr<test::ChildProcess> node_;
};

TEST_F(SideChannelMogstoredTest, SizeRepliesWithBytesOrMinusOne) {
  EXPECT_EQ(Ask(std::string("size ") + kHelloUri + "\r\n"), std::string(kHelloUri) + " 5\r\n");
  EXPECT_EQ(Ask("size /dev1/0/000/000/0000000013.fid\r\n"), "/dev1/0/000/000/0000000013.fid 0\r\n");
  EXPECT_EQ(Ask("size /dev1/0/000/000/0000000099.fid\r\n"),
            "/dev1/0/000/000/0000000099.fid -1\r\n");
  EXPECT_EQ(Ask("size /dev7/x.fid\n"), "/dev7/x.fid -1\r\n");  // LF-only line works too
  struct stat st {};
  ASSERT_EQ(stat((docroot_ + "/dev1/0").c_str(), &st), 0);
  EXPECT_EQ(Ask("size /dev1/0\r\n"), "/dev1/0 " + std::to_string(st.st_size) + "\r\n");
}

TEST_F(SideChannelMogstoredTest, DigestsAreLowerHexAndMinusOneWhenMissing) {
  EXPECT_EQ(Ask(std::string("MD5 ") + kHelloUri + "\r\n"),
            std::string(kHelloUri) + " MD5=5d41402abc4b2a76b9719d911017c592\r\n");
  EXPECT_EQ(Ask(std::string("SHA-1 ") + kHelloUri + "\r\n"),
            std::string(kHelloUri) + " SHA-1=aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d\r\n");
  EXPECT_EQ(Ask(std::string("MD5 ") + kHelloUri + " fsck\r\n"),
            std::string(kHelloUri) + " MD5=5d41402abc4b2a76b9719d911017c592\r\n");
  EXPECT_EQ(Ask("MD5 /dev1/0/000/000/0000000013.fid\r\n"),
            "/dev1/0/000/000/0000000013.fid MD5=d41d8cd98f00b204e9800998ecf8427e\r\n");
  EXPECT_EQ(Ask("MD5 /dev1/nope\r\n"), "/dev1/nope MD5=-1\r\n");
  EXPECT_EQ(Ask("SHA-1 /dev1/nope fsck\r\n"), "/dev1/nope SHA-1=-1\r\n");
  // A directory opens but cannot be read: upstream's read-error line.
  EXPECT_EQ(Ask("MD5 /dev1/0\r\n"), "ERR read /dev1/0 at 0 failed\r\n");
}

TEST_F(SideChannelMogstoredTest, DigestOfA50MegabyteFileMatchesCoreutils) {
  const std::string uri = "/dev2/big.fid";
  const std::string path = docroot_ + uri;
  {
    std::ofstream out(path, std::ios::binary);
    std::string block(1 << 20, '\0');
    for (int i = 0; i < 50; ++i) {
      for (size_t j = 0; j < block.size(); j += 4096) block[j] = static_cast<char>(i * 7 + j);
      out.write(block.data(), static_cast<std::streamsize>(block.size()));
    }
  }
  const std::string md5 = ToolDigest("md5sum", path);
  const std::string sha1 = ToolDigest("sha1sum", path);
  ASSERT_EQ(md5.size(), 32u);
  ASSERT_EQ(sha1.size(), 40u);

  auto client = Connect();
  // Pipelined on one connection: replies come back in request order.
  client->Send("MD5 " + uri + " fsck\r\nSHA-1 " + uri + "\r\nsize " + uri + "\r\n");
  EXPECT_EQ(client->ReadUntil("\r\n"), uri + " MD5=" + md5 + "\r\n");
  EXPECT_EQ(client->ReadUntil("\r\n"), uri + " SHA-1=" + sha1 + "\r\n");
  EXPECT_EQ(client->ReadUntil("\r\n"), uri + " 52428800\r\n");
}

TEST_F(SideChannelMogstoredTest, FsckDigestsOnSeveralConnectionsAllAnswer) {
  std::vector<std::unique_ptr<TcpClient>> clients;
  for (int i = 0; i < 4; ++i) {
    clients.push_back(Connect());
    clients.back()->Send(std::string(i % 2 ? "SHA-1 " : "MD5 ") + kHelloUri + " fsck\r\n");
  }
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(
        clients[i]->ReadUntil("\r\n"),
        std::string(kHelloUri) + (i % 2 ? " SHA-1=aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d\r\n"
                                        : " MD5=5d41402abc4b2a76b9719d911017c592\r\n"));
  }
}

TEST_F(SideChannelMogstoredTest, DotDotIsRefused) {
  EXPECT_EQ(Ask("size /dev1/../../etc/passwd\r\n"), "ERROR: uri invalid (contains ..)\r\n");
  EXPECT_EQ(Ask("MD5 /dev1/0/../0/000/000/0000000012.fid\r\n"),
            "ERROR: uri invalid (contains ..)\r\n");
  // The connection goes on after the refusal.
  auto client = Connect();
  client->Send("SHA-1 /dev1/..\r\nsize " + std::string(kHelloUri) + "\r\n");
  EXPECT_EQ(client->ReadUntil("\r\n"), "ERROR: uri invalid (contains ..)\r\n");
  EXPECT_EQ(client->ReadUntil("\r\n"), std::string(kHelloUri) + " 5\r\n");
}

TEST_F(SideChannelMogstoredTest, NothingOutsideDeviceDirectoriesIsReadable) {
  test::WriteFile(dir_.Sub("secret"), "top secret");
  ASSERT_EQ(symlink(dir_.Sub("secret").c_str(), (docroot_ + "/dev1/escape.fid").c_str()), 0);
  ASSERT_EQ(symlink(dir_.path().c_str(), (docroot_ + "/dev1/up").c_str()), 0);
  test::WriteFile(docroot_ + "/outside.fid", "not on a device");

  EXPECT_EQ(Ask("size /dev1/escape.fid\r\n"), "/dev1/escape.fid -1\r\n");
  EXPECT_EQ(Ask("MD5 /dev1/escape.fid\r\n"), "/dev1/escape.fid MD5=-1\r\n");
  EXPECT_EQ(Ask("SHA-1 /dev1/up/secret fsck\r\n"), "/dev1/up/secret SHA-1=-1\r\n");
  EXPECT_EQ(Ask("size /dev1/up/secret\r\n"), "/dev1/up/secret -1\r\n");
  EXPECT_EQ(Ask("size /outside.fid\r\n"), "/outside.fid -1\r\n");
  EXPECT_EQ(Ask("MD5 /outside.fid\r\n"), "/outside.fid MD5=-1\r\n");
  EXPECT_EQ(Ask("size /etc/passwd\r\n"), "/etc/passwd -1\r\n");
  EXPECT_EQ(Ask("MD5 dev1/0/000/000/0000000012.fid\r\n"),
            "dev1/0/000/000/0000000012.fid MD5=-1\r\n");
}

TEST_F(SideChannelMogstoredTest, ManagementFallthroughAsPerlbal) {
  EXPECT_EQ(Ask("md5 /dev1/x\r\n"), "ERROR: unknown command: md5\r\n");
  EXPECT_EQ(Ask("SIZE /dev1/x\r\n"), "ERROR: unknown command: size\r\n");
  EXPECT_EQ(Ask("\r\n"), "\r\n");
  EXPECT_EQ(Ask("\n"), "\r\n");  // upstream wedged here

  auto client = Connect();
  client->Send("version\r\n");
  std::string block = client->ReadUntil(".\r\n");
  std::smatch m;
  ASSERT_TRUE(std::regex_match(
      block, m, std::regex("starttime (\\d+)\r\nuptime (\\d+)\r\nversion (\\S+)\r\n\\.\r\n")))
      << block;
  long long start = std::stoll(m[1]);
  EXPECT_LE(start, static_cast<long long>(std::time(nullptr)));
  EXPECT_GT(start, static_cast<long long>(std::time(nullptr)) - 600);
}

TEST_F(SideChannelMogstoredTest, UnknownCommandsDoNotStopTheDaemon) {
  EXPECT_EQ(Ask("shutdown now\r\n"), "ERROR: unknown command: shutdown\r\n");
  EXPECT_EQ(Ask("crash\r\n"), "ERROR: unknown command: crash\r\n");
  ExpectStillServing();
}

// Upstream's mogstored exits on `shutdown` (its t/mogstored-shutdown.t): from this host (the
// test's client is on loopback) the daemon closes the connection without an answer and exits
// cleanly, as on SIGTERM.
TEST_F(SideChannelMogstoredTest, ShutdownFromLoopbackStopsTheDaemon) {
  auto client = Connect();
  client->Send("shutdown\r\n");
  EXPECT_EQ(client->ReadAll(), "");  // closed without an answer
  auto status = node_->WaitExit(std::chrono::seconds(5));
  ASSERT_TRUE(status.has_value()) << "mogstored still running after shutdown";
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << *status;
}

TEST_F(SideChannelMogstoredTest, GarbageAndBinaryLinesGetErrorsAndTheConnectionGoesOn) {
  auto client = Connect();
  std::string garbage("\x00\x01\xff\xfe binary\x7f", 13);
  client->Send(garbage + "\r\n\n\n" + "size\r\nMD5\r\nwatch now\r\n" + "size " + kHelloUri +
               "\r\n");
  EXPECT_EQ(client->ReadUntil("\r\n"), "ERROR: invalid command\r\n");
  EXPECT_EQ(client->ReadUntil("\r\n"), "\r\n");
  EXPECT_EQ(client->ReadUntil("\r\n"), "\r\n");
  EXPECT_EQ(client->ReadUntil("\r\n"), "ERROR: unknown command: size\r\n");
  EXPECT_EQ(client->ReadUntil("\r\n"), "ERROR: unknown command: md5\r\n");
  EXPECT_EQ(client->ReadUntil("\r\n"), "ERROR: unknown command: watch\r\n");
  EXPECT_EQ(client->ReadUntil("\r\n"), std::string(kHelloUri) + " 5\r\n");
  ExpectStillServing();
}

TEST_F(SideChannelMogstoredTest, OverlongLineGetsAnErrorAndTheConnectionIsClosed) {
  auto client = Connect();
  client->Send(std::string(70 * 1024, 'A'));
  EXPECT_EQ(client->ReadUntil("\r\n"), "ERROR: line too long\r\n");
  EXPECT_TRUE(client->PeerClosed());
  ExpectStillServing();
}

TEST_F(SideChannelMogstoredTest, HalfClosedClientStillGetsItsAnswers) {
  auto client = Connect();
  client->Send(std::string("size ") + kHelloUri + "\r\nMD5 " + kHelloUri + "\r\n");
  client->ShutdownWrite();
  EXPECT_EQ(client->ReadAll(), std::string(kHelloUri) + " 5\r\n" + kHelloUri +
                                   " MD5=5d41402abc4b2a76b9719d911017c592\r\n");
}

// A client that sends requests but never reads replies must not make the daemon buffer
// without limit: it stops reading, so the client's sends stall.
TEST_F(SideChannelMogstoredTest, ClientThatNeverReadsCannotGrowMemory) {
  const long rss_before = RssKib(node_->pid());
  auto client = Connect();
  const std::string requests = [] {
    std::string s;
    for (int i = 0; i < 4096; ++i) s += "version\r\n";
    return s;
  }();
  size_t pushed = 0;
  const size_t kTryToPush = 64u << 20;
  int stalls = 0;
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (pushed < kTryToPush && stalls < 50 && std::chrono::steady_clock::now() < deadline) {
    ssize_t n = send(client->fd(), requests.data(), requests.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n > 0) {
      pushed += static_cast<size_t>(n);
      stalls = 0;
    } else {
      ++stalls;
      usleep(20000);
    }
  }
  EXPECT_LT(pushed, kTryToPush / 2) << "the daemon kept reading a client that never reads";
  const long rss_after = RssKib(node_->pid());
  ASSERT_GT(rss_before, 0);
  EXPECT_LT(rss_after - rss_before, 32 * 1024)
      << "RSS grew from " << rss_before << " KiB to " << rss_after << " KiB";
  client->Close();
  ExpectStillServing();
}

TEST_F(SideChannelMogstoredTest, WatchStreamsWellFormedBlocksAndIgnoresFurtherInput) {
  auto client = Connect();
  client->Send("watch\r\n");
  const std::regex block_shape("1\t(\\d+\\.\\d\\d|-)\n2\t(\\d+\\.\\d\\d|-)\n\\.\n");
  for (int i = 0; i < 2; ++i) {
    std::string block = client->ReadUntil(".\n");
    EXPECT_TRUE(std::regex_match(block, block_shape)) << "block " << i << ": " << block;
  }
  // After watch the connection only streams: commands are not answered.
  client->Send(std::string("size ") + kHelloUri + "\r\n");
  std::string next = client->ReadUntil(".\n");
  EXPECT_TRUE(std::regex_match(next, block_shape)) << next;
  client->Close();
  ExpectStillServing();
}

// With the iostat monitor switched off, `watch` still streams well-formed blocks, every
// device reported as unknown.
class SideChannelWithoutIostatTest : public SideChannelMogstoredTest {
 protected:
  std::vector<std::string> ExtraArgs() const override { return {"--noiostat"}; }
};

TEST_F(SideChannelWithoutIostatTest, WatchReportsEveryDeviceAsUnknown) {
  auto client = Connect();
  client->Send("watch\r\n");
  EXPECT_EQ(client->ReadUntil(".\n"), "1\t-\n2\t-\n.\n");
  EXPECT_EQ(client->ReadUntil(".\n"), "1\t-\n2\t-\n.\n");
  client->Close();
  ExpectStillServing();
}

}  // namespace
}  // namespace mog::storage
