#include "common/net/endpoint.h"

#include <gtest/gtest.h>

namespace mog {
namespace {

TEST(EndpointTest, ParsesForms) {
  auto full = ParseEndpoint("127.0.0.2:7600", "0.0.0.0", 7500);
  ASSERT_TRUE(full);
  EXPECT_EQ(full->host, "127.0.0.2");
  EXPECT_EQ(full->port, 7600);
  auto port_only = ParseEndpoint("7700", "0.0.0.0", 7500);
  ASSERT_TRUE(port_only);
  EXPECT_EQ(port_only->ToString(), "0.0.0.0:7700");
  auto host_only = ParseEndpoint("10.1.1.1", "0.0.0.0", 7001);
  ASSERT_TRUE(host_only);
  EXPECT_EQ(host_only->ToString(), "10.1.1.1:7001");
}

TEST(EndpointTest, RejectsBadPorts) {
  EXPECT_FALSE(ParseEndpoint("1.2.3.4:99999", "0.0.0.0", 1));
  EXPECT_FALSE(ParseEndpoint("1.2.3.4:x", "0.0.0.0", 1));
  EXPECT_FALSE(ParseEndpoint("", "0.0.0.0", 1));
}

}  // namespace
}  // namespace mog
