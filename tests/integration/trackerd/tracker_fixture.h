// Shared fixture of the tracker protocol tests: one LocalCluster (2 storage nodes) per test
// binary, a fresh raw TCP connection per test, and the cluster logs printed on failure.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "common/protocol/line_codec.h"
#include "tests/support/cluster.h"
#include "tests/support/net.h"

namespace mog::test {

class TrackerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!cluster_) cluster_ = new LocalCluster(LocalClusterOptions{});
  }
  static void TearDownTestSuite() {}

  void SetUp() override {
    client_ = std::make_unique<TcpClient>(cluster_->tracker_ip(), cluster_->tracker_port(),
                                          std::chrono::seconds(20));
    ASSERT_TRUE(client_->connected());
  }
  void TearDown() override {
    if (HasFailure()) std::cerr << cluster_->Logs() << "\n";
  }

  // Sends one line (terminator added) and returns the raw reply line.
  std::string Raw(const std::string& line) {
    EXPECT_TRUE(client_->Send(line + "\r\n"));
    return client_->ReadLine();
  }
  Reply Call(const std::string& verb, const ArgList& args = {}) {
    std::string req = EncodeRequest(verb, args);
    EXPECT_TRUE(client_->Send(req));
    return ParseReply(client_->ReadLine());
  }
  // A name no other test in this binary uses.
  static std::string Unique(const std::string& prefix) {
    static int n = 0;
    return prefix + std::to_string(++n) + "_" + std::to_string(::getpid());
  }

  std::unique_ptr<TcpClient> client_;

 public:
  // One cluster per test binary; deleted by the global environment in tracker_admin_test.cpp.
  static LocalCluster* cluster_;
};

}  // namespace mog::test
