// Starts the real mogstored for one test: --skipconfig, HTTP and side channel on free ports of
// 127.0.0.2, docroot in a fresh temp dir holding dev1. Stopped (SIGTERM, then SIGKILL) with
// the fixture; its log is printed when the test failed.
#pragma once

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/support/net.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace mog::test {

inline constexpr const char* kNodeIp = "127.0.0.2";

class MogstoredProcess {
 public:
  explicit MogstoredProcess(const std::string& docroot, std::vector<std::string> extra = {},
                            const std::string& log_path = "")
      : http_port_(FreePort(kNodeIp)), mgmt_port_(FreePort(kNodeIp)) {
    std::vector<std::string> argv = {BinPath("mogstored"),
                                     "--skipconfig",
                                     "--httplisten=" + std::string(kNodeIp) + ":" +
                                         std::to_string(http_port_),
                                     "--mgmtlisten=" + std::string(kNodeIp) + ":" +
                                         std::to_string(mgmt_port_),
                                     "--docroot=" + docroot};
    argv.insert(argv.end(), extra.begin(), extra.end());
    process_ = std::make_unique<ChildProcess>(
        argv, log_path.empty() ? docroot + "/../mogstored.log" : log_path);
  }
  bool WaitReady() { return WaitForPort(kNodeIp, http_port_, std::chrono::seconds(10)); }
  uint16_t http_port() const { return http_port_; }
  uint16_t mgmt_port() const { return mgmt_port_; }
  ChildProcess& process() { return *process_; }

 private:
  uint16_t http_port_;
  uint16_t mgmt_port_;
  std::unique_ptr<ChildProcess> process_;
};

class MogstoredTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::mkdir(root_.c_str(), 0755);
    ::mkdir((root_ + "/dev1").c_str(), 0755);
    node_ = std::make_unique<MogstoredProcess>(root_, ExtraArgs(), dir_.Sub("mogstored.log"));
    ASSERT_TRUE(node_->WaitReady()) << node_->process().Log();
  }
  void TearDown() override {
    if (HasFailure() && node_) std::cerr << "--- mogstored log ---\n" << node_->process().Log();
    node_.reset();
  }
  virtual std::vector<std::string> ExtraArgs() { return {}; }

  std::string Path(const std::string& relative) const { return root_ + "/" + relative; }
  HttpResponse Exchange(const std::string& request, bool head = false) {
    return HttpExchange(kNodeIp, node_->http_port(), request, head);
  }
  std::unique_ptr<TcpClient> Connect() {
    auto client = std::make_unique<TcpClient>(kNodeIp, node_->http_port());
    EXPECT_TRUE(client->connected());
    return client;
  }
  HttpResponse Put(const std::string& uri, const std::string& body,
                   const std::string& extra_headers = "") {
    return Exchange("PUT " + uri + " HTTP/1.0\r\nContent-Length: " + std::to_string(body.size()) +
                    "\r\n" + extra_headers + "\r\n" + body);
  }
  HttpResponse Get(const std::string& uri, const std::string& extra_headers = "") {
    return Exchange("GET " + uri + " HTTP/1.0\r\n" + extra_headers + "\r\n");
  }

  TempDir dir_;
  std::string root_ = dir_.Sub("docroot");
  std::unique_ptr<MogstoredProcess> node_;
};

}  // namespace mog::test
