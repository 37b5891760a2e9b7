// mogstored as a process: start-up messages and failures, SIGTERM, pid file, graceful finish
// of an upload in progress, and memory while streaming many large bodies at once.
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <arpa/inet.h>

#include <atomic>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <thread>

#include "tests/integration/storaged/mogstored_fixture.h"

namespace mog::test {
namespace {

std::string Arg(const std::string& key, const std::string& value) {
  return "--" + key + "=" + value;
}

TEST(MogstoredProcessTest, PrintsRunningAndExitsZeroOnSigterm) {
  TempDir dir;
  ::mkdir(dir.Sub("dev1").c_str(), 0755);
  const uint16_t port = FreePort(kNodeIp);
  ChildProcess node({BinPath("mogstored"), "--skipconfig",
                     Arg("httplisten", std::string(kNodeIp) + ":" + std::to_string(port)),
                     Arg("mgmtlisten", std::string(kNodeIp) + ":" + std::to_string(FreePort(kNodeIp))),
                     Arg("docroot", dir.path()), Arg("pidfile", dir.Sub("m.pid"))},
                    dir.Sub("log"));
  ASSERT_TRUE(WaitForPort(kNodeIp, port)) << node.Log();
  EXPECT_TRUE(WaitUntil([&] { return node.Log().find("Running.\n") != std::string::npos; }));
  EXPECT_TRUE(WaitUntil([&] { return FileExists(dir.Sub("m.pid")); }));
  EXPECT_EQ(std::stoi(ReadFileOrEmpty(dir.Sub("m.pid"))), node.pid());
  node.Signal(SIGTERM);
  auto status = node.WaitExit(std::chrono::seconds(15));
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 0);
  EXPECT_FALSE(FileExists(dir.Sub("m.pid")));
}

TEST(MogstoredProcessTest, SigtermLetsAnUploadInProgressFinish) {
  TempDir dir;
  ::mkdir(dir.Sub("dev1").c_str(), 0755);
  MogstoredProcess node(dir.path(), {}, dir.Sub("log"));
  ASSERT_TRUE(node.WaitReady());
  TcpClient client(kNodeIp, node.http_port());
  ASSERT_TRUE(client.Send("PUT /dev1/late.fid HTTP/1.0\r\nContent-Length: 10\r\n\r\n12345"));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let the upload begin
  node.process().Signal(SIGTERM);
  EXPECT_TRUE(WaitUntil([&] { return !CanConnect(kNodeIp, node.http_port()); }))
      << "still accepting after SIGTERM";
  ASSERT_TRUE(client.Send("67890"));
  HttpResponse r = ReadHttpResponse(client);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(ReadFileOrEmpty(dir.Sub("dev1/late.fid")), "1234567890");
  auto status = node.process().WaitExit(std::chrono::seconds(15));
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(WEXITSTATUS(*status), 0);
}

TEST(MogstoredProcessTest, DaemonizeDetachesAndWritesPidfile) {
  TempDir dir;
  ::mkdir(dir.Sub("dev1").c_str(), 0755);
  const uint16_t port = FreePort(kNodeIp);
  auto r = RunCommand({BinPath("mogstored"), "--skipconfig", "--daemonize",
                       Arg("httplisten", std::string(kNodeIp) + ":" + std::to_string(port)),
                       Arg("mgmtlisten",
                           std::string(kNodeIp) + ":" + std::to_string(FreePort(kNodeIp))),
                       Arg("docroot", dir.path()), Arg("pidfile", dir.Sub("d.pid"))},
                      std::chrono::seconds(10));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("Running."), std::string::npos);  // only without --daemonize
  ASSERT_TRUE(WaitUntil([&] { return !ReadFileOrEmpty(dir.Sub("d.pid")).empty(); }));
  const pid_t pid = std::stoi(ReadFileOrEmpty(dir.Sub("d.pid")));
  ASSERT_GT(pid, 1);
  EXPECT_TRUE(WaitForPort(kNodeIp, port));
  EXPECT_EQ(HttpExchange(kNodeIp, port, "GET / HTTP/1.0\r\n\r\n").status, 200);
  // Not our child: stop it by its pid and wait for the pid file to go.
  ::kill(pid, SIGTERM);
  EXPECT_TRUE(WaitUntil([&] { return !FileExists(dir.Sub("d.pid")); }))
      << "daemon did not exit on SIGTERM";
  if (FileExists(dir.Sub("d.pid"))) ::kill(pid, SIGKILL);
}

TEST(MogstoredProcessTest, SlowClientsDoNotBlockOthersAndIdleOnesAreDropped) {
  TempDir dir;
  ::mkdir(dir.Sub("dev1").c_str(), 0755);
  MogstoredProcess node(dir.path(), {}, dir.Sub("log"));
  ASSERT_TRUE(node.WaitReady());
  // Connections that never finish their header block...
  std::vector<std::unique_ptr<TcpClient>> slow;
  for (int i = 0; i < 50; ++i) {
    slow.push_back(std::make_unique<TcpClient>(kNodeIp, node.http_port(), std::chrono::seconds(40)));
    slow.back()->Send("GET /dev1/x HTTP/1.1\r\nHost: sl");
  }
  // ...and one half-sent upload do not hold up anybody else.
  TcpClient half_put(kNodeIp, node.http_port(), std::chrono::seconds(40));
  half_put.Send("PUT /dev1/slow.fid HTTP/1.0\r\nContent-Length: 100\r\n\r\nabc");
  EXPECT_EQ(HttpExchange(kNodeIp, node.http_port(), "GET / HTTP/1.0\r\n\r\n").status, 200);
  // Perlbal's 30 s idle timeout ends them (PeerClosed waits up to 40 s).
  EXPECT_TRUE(slow.front()->PeerClosed());
  EXPECT_TRUE(half_put.PeerClosed());
  EXPECT_FALSE(FileExists(dir.Sub("dev1/slow.fid")));
}

TEST(MogstoredProcessTest, ConfigFileOverridesTheCommandLine) {
  TempDir dir;
  ::mkdir(dir.Sub("dev1").c_str(), 0755);
  const std::string ip = kNodeIp;
  const uint16_t file_port = FreePort(kNodeIp);
  const uint16_t cli_port = FreePort(kNodeIp);
  WriteFile(dir.Sub("m.conf"), "# sample\nhttplisten = " + ip + ":" + std::to_string(file_port) +
                                   "\nmgmtlisten = " + ip + ":" +
                                   std::to_string(FreePort(kNodeIp)) + "\ndocroot = " +
                                   dir.path() + "\n");
  ChildProcess node({BinPath("mogstored"), "--config=" + dir.Sub("m.conf"),
                     Arg("httplisten", ip + ":" + std::to_string(cli_port))},
                    dir.Sub("log"));
  ASSERT_TRUE(WaitForPort(kNodeIp, file_port)) << node.Log();
  EXPECT_FALSE(CanConnect(kNodeIp, cli_port));  // upstream quirk: the file wins
  EXPECT_EQ(HttpExchange(kNodeIp, file_port, "GET / HTTP/1.0\r\n\r\n").status, 200);
}

TEST(MogstoredProcessTest, BadConfigFailsWithFileAndLine) {
  TempDir dir;
  WriteFile(dir.Sub("m.conf"), "docroot = /tmp\nbogus = 1\n");
  auto r = RunCommand({BinPath("mogstored"), "--config=" + dir.Sub("m.conf")},
                      std::chrono::seconds(10));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find(dir.Sub("m.conf") + ":2: Unknown config setting: bogus"),
            std::string::npos)
      << r.output;
  auto missing = RunCommand({BinPath("mogstored"), "--config=" + dir.Sub("none.conf")},
                            std::chrono::seconds(10));
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.output.find("Config file " + dir.Sub("none.conf") + " doesn't exist."),
            std::string::npos)
      << missing.output;
  auto bad_option = RunCommand({BinPath("mogstored"), "--frobnicate"}, std::chrono::seconds(10));
  EXPECT_NE(bad_option.exit_code, 0);
  EXPECT_NE(bad_option.output.find("--frobnicate"), std::string::npos) << bad_option.output;
}

TEST(MogstoredProcessTest, MissingDocrootFails) {
  TempDir dir;
  auto r = RunCommand({BinPath("mogstored"), "--skipconfig", Arg("docroot", dir.Sub("nope")),
                       Arg("httplisten", std::string(kNodeIp) + ":" +
                                             std::to_string(FreePort(kNodeIp))),
                       Arg("mgmtlisten", std::string(kNodeIp) + ":" +
                                             std::to_string(FreePort(kNodeIp)))},
                      std::chrono::seconds(10));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("docroot " + dir.Sub("nope") + " does not exist"), std::string::npos)
      << r.output;
}

TEST(MogstoredProcessTest, PortInUseFails) {
  TempDir dir;
  // Hold the port with a listening socket of our own.
  int holder = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = 0;
  ::inet_pton(AF_INET, kNodeIp, &addr.sin_addr);
  ASSERT_EQ(::bind(holder, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(holder, 1), 0);
  socklen_t len = sizeof addr;
  ::getsockname(holder, reinterpret_cast<sockaddr*>(&addr), &len);
  const std::string taken = std::string(kNodeIp) + ":" + std::to_string(ntohs(addr.sin_port));
  const std::string free = std::string(kNodeIp) + ":" + std::to_string(FreePort(kNodeIp));
  for (auto [http, mgmt] : {std::pair{taken, free}, std::pair{free, taken}}) {
    auto r = RunCommand({BinPath("mogstored"), "--skipconfig", Arg("docroot", dir.path()),
                         Arg("httplisten", http), Arg("mgmtlisten", mgmt)},
                        std::chrono::seconds(10));
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.output.find("cannot listen on"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find(taken), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("in use"), std::string::npos) << r.output;
  }
  ::close(holder);
}

// Resident set size of a process in KiB, from /proc.
long RssKiB(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

TEST(MogstoredProcessTest, ManyConcurrentLargeBodiesStreamInBoundedMemory) {
  // 16 clients each PUT then GET 32 MiB at once (512 MiB in flight): buffering whole bodies
  // would need hundreds of MiB; streaming keeps the daemon small.
  constexpr size_t kClients = 16;
  const size_t kSize = (std::getenv("MOG_BIG_MIB") ? std::stoul(std::getenv("MOG_BIG_MIB")) : 32u)
                       << 20;  // MOG_BIG_MIB=100 for the full-size measurement
  TempDir dir;
  ::mkdir(dir.Sub("dev1").c_str(), 0755);
  MogstoredProcess node(dir.path(), {}, dir.Sub("log"));
  ASSERT_TRUE(node.WaitReady());
  const std::string chunk(1 << 20, 'm');
  std::atomic<long> peak{0};
  std::atomic<int> ok{0};
  std::atomic<bool> done{false};
  std::thread sampler([&] {
    while (!done) {
      peak = std::max(peak.load(), RssKiB(node.process().pid()));
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  std::vector<std::thread> clients;
  for (size_t i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      const std::string uri = "/dev1/big/" + std::to_string(i) + ".fid";
      TcpClient put(kNodeIp, node.http_port(), std::chrono::seconds(60));
      bool sent = put.Send("PUT " + uri + " HTTP/1.0\r\nContent-Length: " +
                           std::to_string(kSize) + "\r\n\r\n");
      for (size_t off = 0; sent && off < kSize; off += chunk.size()) sent = put.Send(chunk);
      if (!sent || ReadHttpResponse(put).status != 200) return;
      TcpClient get(kNodeIp, node.http_port(), std::chrono::seconds(60));
      get.Send("GET " + uri + " HTTP/1.0\r\n\r\n");
      std::string head = get.ReadUntil("\r\n\r\n");
      if (head.find("Content-Length: " + std::to_string(kSize)) == std::string::npos) return;
      size_t received = 0;
      while (received < kSize) {
        std::string part = get.ReadExactly(std::min<size_t>(1 << 20, kSize - received));
        if (part.empty()) return;
        received += part.size();
      }
      ++ok;
    });
  }
  for (auto& t : clients) t.join();
  done = true;
  sampler.join();
  EXPECT_EQ(ok.load(), static_cast<int>(kClients));
  std::cout << "peak mogstored RSS: " << peak.load() << " KiB\n";
  EXPECT_GT(peak.load(), 0);
  EXPECT_LT(peak.load(), 64 * 1024) << "peak RSS " << peak.load() << " KiB";
}

}  // namespace
}  // namespace mog::test
