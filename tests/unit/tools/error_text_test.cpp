// What the tools print for tracker errors whose upstream text names nothing.
#include "tools/cli/error_text.h"

#include <gtest/gtest.h>

#include "tools/cli/utils_tool.h"

namespace mog::cli {
namespace {

using client::ClientError;

TEST(ErrorTextTest, NamesTheThingAndWhatIsValid) {
  struct Case {
    ClientError error;
    ErrorContext context;
    const char* expected;
  };
  const Case kCases[] = {
      {ClientError::Tracker("unknown_key", "unknown_key"),
       {.key = "test", .domain = "img"},
       "unknown_key: no file with key 'test' in domain 'img'"},
      {ClientError::Tracker("unreg_domain", "Domain name invalid/not found"),
       {.domain = "nod"},
       "unreg_domain: domain 'nod' does not exist (mogadm domain list shows the domains)"},
      {ClientError::Tracker("unreg_class", "unreg_class"),
       {.domain = "img", .klass = "x"},
       "unreg_class: class 'x' does not exist in domain 'img' (mogadm class list shows the "
       "classes)"},
      {ClientError::Tracker("not_writable", "not_writable"),
       {.setting = "foo"},
       "not_writable: server setting 'foo' cannot be set; writable settings: "
       "case_sensitive_list_keys, fsck_checksum, internal_queue_limit, memcache_servers, "
       "memcache_ttl, network_zones, skip_devcount, skip_mkcol, queue_*, slave_*, zone_*"},
      {ClientError::Tracker("bad_params",
                            "Invalid parameters to command; please see documentation"),
       {.states = "device"},
       "bad_params: Invalid parameters to command; please see documentation; valid device "
       "states: alive, dead, down, drain, readonly"},
      {ClientError::Tracker("bad_params", "x"),
       {.states = "host"},
       "bad_params: x; valid host states: alive, dead, down"},
      {ClientError::Tracker("dup", "Duplicate name/number used."),
       {.host = "node9", .ip = "10.0.0.2"},
       "dup: another host already has the name 'node9' or the IP address '10.0.0.2' (mogadm "
       "host list shows the hosts)"},
      // Without context, or for other tokens, the tracker's own words.
      {ClientError::Tracker("unknown_key", "unknown_key"), {}, "unknown_key unknown_key"},
      {ClientError::Tracker("domain_exists", "That domain already exists"),
       {.domain = "img"},
       "domain_exists That domain already exists"},
      {ClientError::Local("Could not open x"), {.key = "k"}, "Could not open x"},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(ExplainError(c.error, c.context), c.expected);
  }
}

TEST(ErrorTextTest, DescribeFailureKeepsThePrefixAndBackendCroaks) {
  EXPECT_EQ(
      DescribeFailure("Error deleting file: ", ClientError::Tracker("unknown_key", "unknown_key"),
                      {.key = "k", .domain = "d"}),
      "Error deleting file: unknown_key: no file with key 'k' in domain 'd'");
  EXPECT_EQ(
      DescribeFailure("Error: ", ClientError::Transport("socket closed on read"), {.key = "k"}),
      "MogileFS::Backend: socket closed on read");
}

}  // namespace
}  // namespace mog::cli
