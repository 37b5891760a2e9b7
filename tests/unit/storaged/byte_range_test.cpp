#include "storaged/http/byte_range.h"

#include <gtest/gtest.h>

namespace mog::storage::http {
namespace {

constexpr auto kFull = RangeDecision::kFull;
constexpr auto kPartial = RangeDecision::kPartial;
constexpr auto kUnsat = RangeDecision::kUnsatisfiable;

TEST(ByteRangeTest, Table) {
  struct Case {
    const char* header;
    uint64_t size;
    RangeDecision expected;
  } cases[] = {
      {"", 100, {kFull}},
      {"bytes=0-9", 100, {kPartial, 0, 9}},
      {"bytes=10-", 100, {kPartial, 10, 99}},
      {"bytes=90-200", 100, {kPartial, 90, 99}},  // end clamped to size-1
      {"bytes=99-99", 100, {kPartial, 99, 99}},
      {"bytes=100-", 100, {kUnsat}},               // start at EOF: largefile's end marker
      {"bytes=100-200", 100, {kUnsat}},
      {"bytes=5-4", 100, {kUnsat}},
      {"bytes=-0", 100, {kUnsat}},
      {"bytes=-10", 100, {kPartial, 90, 99}},      // RFC meaning (upstream: 0-10)
      {"bytes=-500", 100, {kPartial, 0, 99}},
      {"bytes=-5", 0, {kUnsat}},
      {"bytes=0-", 0, {kUnsat}},
      {"bytes=-", 100, {kFull}},
      {"bytes=0-1,5-6", 100, {kFull}},             // several ranges: whole file
      {"items=0-1", 100, {kFull}},
      {"bytes= 0-1", 100, {kFull}},
      {"bytes=a-b", 100, {kFull}},
      {"bytes=99999999999999999999999-", 100, {kFull}},  // overflow is garbage, not a range
  };
  for (const auto& c : cases) {
    EXPECT_EQ(DecideRange(c.header, c.size), c.expected) << c.header << " size=" << c.size;
  }
}

}  // namespace
}  // namespace mog::storage::http
