// Placement decisions (create_open destinations, get_paths order, replication policies) on
// clusters written in upstream's one-line notation (t/multiple-hosts-replpol.t), extended:
//   min=N h<id>[=<host status>][d<id>=<X|_>[,<option>]... ...] ...
// X = the fid is on that device. Device options: a status (alive, dead, down, readonly,
// drain), `used=<MiB of 1000>`, `nousage` (usage unknown), `readable` / `unreachable`
// (observed state instead of writeable), `util=<text>`, `weight=<n>`. Hosts default to alive and
// observed reachable; `h2=down`, `h2=unreachable` (observed).
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "trackerd/placement/device_selector.h"
#include "trackerd/placement/fid_policy.h"
#include "trackerd/placement/random_source.h"
#include "trackerd/placement/read_order.h"
#include "trackerd/placement/replication_policy.h"

namespace mog::tracker {
namespace {

struct Cluster {
  ClusterSnapshot snapshot;
  std::vector<uint32_t> on;
  int min = 2;
};

Cluster Parse(std::string text) {
  Cluster c;
  StoreTables tables;
  std::map<uint32_t, HostObserved> host_obs;
  std::map<uint32_t, DeviceObservation> dev_obs;
  std::smatch m;
  static const std::regex kMin(R"(^\s*min=(\d+))");
  if (std::regex_search(text, m, kMin)) {
    c.min = std::stoi(m[1]);
    text = m.suffix();
  }
  static const std::regex kHost(R"(^\s*h(\d+)(?:=(\w+))?\[([^\]]*)\])");
  while (std::regex_search(text, m, kHost)) {
    HostRow host;
    host.hostid = static_cast<uint32_t>(std::stoul(m[1]));
    host.hostname = "h" + std::string(m[1]);
    host.hostip = "127.0.0." + std::string(m[1]);
    host.http_port = 7500;
    std::string opt = m[2];
    host.status = (opt.empty() || opt == "unreachable") ? "alive" : opt;
    host_obs[host.hostid] =
        opt == "unreachable" ? HostObserved::kUnreachable : HostObserved::kReachable;
    tables.hosts.push_back(host);
    std::istringstream devs(m[3]);
    std::string decl;
    static const std::regex kDev(R"(^d(\d+)=([_X])((?:,[\w=.\-]+)*)$)");
    while (devs >> decl) {
      std::smatch dm;
      if (!std::regex_match(decl, dm, kDev)) throw std::runtime_error("bad device: " + decl);
      DeviceRow dev;
      dev.devid = static_cast<uint32_t>(std::stoul(dm[1]));
      dev.hostid = host.hostid;
      dev.status = "alive";
      dev.mb_total = 1000;
      dev.mb_used = 100;
      DeviceObservation obs;
      obs.state = DeviceObserved::kWriteable;
      std::istringstream opts(dm[3]);
      std::string o;
      while (std::getline(opts, o, ',')) {
        if (o.empty()) continue;
        if (o.starts_with("used=")) {
          dev.mb_used = std::stoll(o.substr(5));
        } else if (o == "nousage") {
          dev.mb_total.reset();
          dev.mb_used.reset();
        } else if (o == "readable") {
          obs.state = DeviceObserved::kReadable;
        } else if (o == "unreachable") {
          obs.state = DeviceObserved::kUnreachable;
        } else if (o.starts_with("util=")) {
          obs.utilization = o.substr(5);
        } else if (o.starts_with("weight=")) {
          dev.weight = std::stoi(o.substr(7));
        } else {
          dev.status = o;
        }
      }
      if (dm[2] == "X") c.on.push_back(dev.devid);
      tables.devices.push_back(dev);
      dev_obs[dev.devid] = obs;
    }
    text = m.suffix();
  }
  if (text.find_first_not_of(" ") != std::string::npos) {
    throw std::runtime_error("cannot parse: " + text);
  }
  ClusterLimits limits;
  limits.min_free_space_mb = 100;
  c.snapshot = ClusterSnapshot(tables, limits, host_obs, dev_obs);
  return c;
}

// Always returns the same value: 0 picks the first remaining (emptiest) item, 0.999 the last.
class FixedRandom final : public RandomSource {
 public:
  explicit FixedRandom(double v) : v_(v) {}
  double NextUnit() override { return v_; }

 private:
  double v_;
};

std::string HostsPolicy(const std::string& cluster) {
  Cluster c = Parse(cluster);
  FixedRandom random(0.5);
  ReplicationInput input{c.on, {}, c.min, {}};
  return MultipleHostsPolicy().ReplicateTo(c.snapshot, input, random).ToString();
}

std::string DevicesPolicy(const std::string& cluster) {
  Cluster c = Parse(cluster);
  FixedRandom random(0.5);
  ReplicationInput input{c.on, {}, c.min, {}};
  return MultipleDevicesPolicy().ReplicateTo(c.snapshot, input, random).ToString();
}

struct PolicyCase {
  const char* cluster;
  const char* expected;
};

TEST(MultipleHostsPolicyTest, UpstreamNotationTable) {
  // The upstream cases first, then our own.
  const PolicyCase cases[] = {
      {"min=2  h1[d1=X d2=_] h2[d3=X d4=_]", "all_good"},
      {"min=2  h1[d1=X d2=_] h2[d3=_ d4=_]", "ideal(3,4)"},
      {"min=2  h1[d1=X d2=X] h2[d3=_ d4=_]", "ideal(3,4)"},
      {"min=2  h1[d1=_ d2=_] h2[d3=_ d4=_]", "ideal(1,2,3,4)"},
      {"min=2  h1[d1=X d2=_] h2=down[d3=_ d4=_]", "desperate(2)"},
      {"min=2  h1[d1=X d2=_] h2=down[d3=_ d4=_] h3[d5=_ d6=_]", "ideal(5,6)"},
      {"min=2  h1[d1=_ d2=X,dead] h2=alive[d3=X d4=_]", "ideal(1)"},
      {"min=3 h1[d1=_ d2=X] h2[d3=X d4=_]", "ideal(1,4)"},
      {"min=3 h1[d1=_ d2=X] h2[d3=X d4=_] h3[d5=_]", "ideal(5)"},
      {"min=3 h1[d1=_ d2=X] h2[d3=X d4=_] h3=down[d5=_]", "desperate(1,4)"},
      {"min=2 h1[d1=X d2=_] h2[d3=X d4=_] h3[d5=X]", "too_good"},
      {"min=2 h1[d1=X d2=X] h2[d3=X d4=_]", "too_good"},
      {"min=3 h1[d1=_ d2=X] h2[d3=X d4=X]", "all_good"},
      {"min=2 h1[d3=X,drain d5=_] h2[d4=X d6=_]", "all_good"},
      {"min=2 h1[d3=X,drain d5=X] h2[d4=X d6=_]", "too_good"},
      // min=1 with one copy is always fine, wherever it is.
      {"min=1 h1[d1=X,readonly] h2[d2=_]", "all_good"},
      // Two copies and only two disks that can hold files: happy even with min=3.
      {"min=3 h1[d1=X] h2[d2=X d3=_,dead]", "all_good"},
      // A down device still counts as a replica (no re-replication).
      {"min=2 h1[d1=X] h2[d2=X,down d3=_]", "all_good"},
      // Candidates must get new files: readonly / drain / full / unknown-usage / not
      // observed writeable devices are never destinations.
      {"min=2 h1[d1=X] h2[d2=_,readonly d3=_,drain d4=_,used=950 d5=_,readable]", "temp_fail"},
      {"min=2 h1[d1=X] h2[d2=_,nousage d3=_,used=899 d4=_,used=901]", "ideal(3)"},
      // Host observed unreachable: its devices are not candidates.
      {"min=2 h1[d1=X d2=_] h2=unreachable[d3=_]", "desperate(2)"},
      // No copy at all (e.g. every copy dead): anywhere is ideal.
      {"min=2 h1[d1=X,dead d2=_] h2[d3=_]", "ideal(2,3)"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(HostsPolicy(c.cluster), c.expected) << c.cluster;
  }
}

TEST(MultipleHostsPolicyTest, ExplicitCountOverridesClassMindevcount) {
  Cluster c = Parse("min=2 h1[d1=X] h2[d2=X] h3[d3=_]");
  FixedRandom random(0);
  ReplicationInput input{c.on, {}, c.min, {}};
  EXPECT_EQ(MultipleHostsPolicy(3).ReplicateTo(c.snapshot, input, random).ToString(), "ideal(3)");
  EXPECT_EQ(MultipleHostsPolicy(0).ReplicateTo(c.snapshot, input, random).ToString(), "all_good");
}

TEST(MultipleHostsPolicyTest, FailedDestinationsAreExcludedThisRound) {
  Cluster c = Parse("min=2 h1[d1=X] h2[d2=_ d3=_]");
  FixedRandom random(0);
  ReplicationInput input{c.on, {2}, c.min, {}};
  EXPECT_EQ(MultipleHostsPolicy().ReplicateTo(c.snapshot, input, random).ToString(), "ideal(3)");
  input.failed = {2, 3};
  EXPECT_EQ(MultipleHostsPolicy().ReplicateTo(c.snapshot, input, random).ToString(), "temp_fail");
}

TEST(MultipleHostsPolicyTest, RebalanceStyleMaskAndTargetsChangeTheWorldThePolicySees) {
  // h1[d1 d2] h2[d3]: the fid is on d1 and d3 (ideal). Rebalancing d3 masks its copy, so the
  // policy sees one copy on h1 and wants h2 — whose only device is d3 itself. The replicate
  // worker then has no ideal non-masked device ("would worsen") and keeps the source.
  Cluster c = Parse("min=2 h1[d1=X d2=_] h2[d3=X]");
  FixedRandom random(0);
  ReplicationInput masked{{1}, {}, c.min, {}};  // d3 masked: left out of on_devids
  auto d = MultipleHostsPolicy().ReplicateTo(c.snapshot, masked, random);
  EXPECT_EQ(d.ToString(), "ideal(3)");  // only d3 would be ideal; the caller must refuse it
  // Limiting the world to rebalance targets {2}: one host left, so d2 becomes ideal.
  masked.all_devids = std::set<uint32_t>{2};
  d = MultipleHostsPolicy().ReplicateTo(c.snapshot, masked, random);
  EXPECT_EQ(d.ToString(), "ideal(2)");
  // ...and a target list naming only a device that holds the fid leaves nothing to suggest.
  masked.all_devids = std::set<uint32_t>{1};
  EXPECT_EQ(MultipleHostsPolicy().ReplicateTo(c.snapshot, masked, random).ToString(),
            "temp_fail");
}

TEST(MultipleHostsPolicyTest, IdealListIsOrderedByFreeSpaceUnderFixedRandom) {
  // d3 is emptiest (90 % free), then d4 (50 %), then d2 (20 %).
  Cluster c = Parse("min=2 h1[d1=X] h2[d2=_,used=800 d3=_ d4=_,used=500]");
  FixedRandom first(0);
  ReplicationInput input{c.on, {}, c.min, {}};
  auto d = MultipleHostsPolicy().ReplicateTo(c.snapshot, input, first);
  EXPECT_EQ(d.ideal, (std::vector<uint32_t>{3, 4, 2}));
  FixedRandom last(0.999999);
  d = MultipleHostsPolicy().ReplicateTo(c.snapshot, input, last);
  EXPECT_EQ(d.ideal, (std::vector<uint32_t>{2, 4, 3}));
}

TEST(MultipleDevicesPolicyTest, NotationTable) {
  const PolicyCase cases[] = {
      {"min=2 h1[d1=X d2=X] h2[d3=_]", "all_good"},
      {"min=2 h1[d1=X d2=_] h2[d3=_]", "ideal(2,3)"},  // hosts do not matter
      {"min=2 h1[d1=X d2=X d3=X]", "too_good"},
      {"min=3 h1[d1=X d2=X d3=_,dead]", "all_good"},   // all the disks there are
      {"min=3 h1[d1=X d2=X d3=_,readonly d4=_,dead]", "temp_fail"},
      {"min=2 h1[d1=X d2=X,dead d3=_]", "ideal(3)"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(DevicesPolicy(c.cluster), c.expected) << c.cluster;
  }
}

// FidPolicy is the one judgement fsck and the replicator share. `on` holds every file_on
// devid, dead ones included, as both callers pass them.
std::string Verdict(const std::string& cluster, const std::string& replpolicy = "") {
  Cluster c = Parse(cluster);
  FidPolicy rule;
  rule.policy = *ParseReplicationPolicy(replpolicy);
  rule.mindevcount = c.min;
  switch (rule.Judge(c.snapshot, c.on)) {
    case CopiesVerdict::kSatisfied:
      return "satisfied";
    case CopiesVerdict::kOverReplicated:
      return "over";
    case CopiesVerdict::kUnderReplicated:
      return "under";
  }
  return "?";
}

TEST(FidPolicyTest, HostDownAndDeviceDeadLeaveTwoLiveCopiesSatisfied) {
  // Issue 8's cluster: n1's mogstored killed (host observed unreachable, or marked down) and
  // its device marked dead; the fid is on the two survivors, and maybe still on the dead one.
  const PolicyCase cases[] = {
      {"min=2 h1=unreachable[d1=_,dead] h2[d2=X] h3[d3=X]", "satisfied"},
      {"min=2 h1=unreachable[d1=X,dead] h2[d2=X] h3[d3=X]", "satisfied"},
      {"min=2 h1=down[d1=X,dead] h2[d2=X] h3[d3=X]", "satisfied"},
      {"min=2 h1=unreachable[d1=X,dead] h2[d2=X] h3[d3=_]", "under"},
      {"min=2 h1=unreachable[d1=X,dead] h2[d2=X,unreachable] h3[d3=X]", "satisfied"},
      {"min=2 h1[d1=X] h2[d2=X] h3[d3=X]", "over"},
      {"min=1 h1=unreachable[d1=X,dead] h2[d2=X] h3[d3=_]", "satisfied"},
  };
  for (const auto& c : cases) EXPECT_EQ(Verdict(c.cluster), c.expected) << c.cluster;
  EXPECT_EQ(Verdict("min=2 h1=unreachable[d1=X,dead] h2[d2=X d4=X] h3[d3=_]", "MultipleDevices()"),
            "satisfied");
}

TEST(FidPolicyTest, DecideIsWhatTheReplicatorCopiesBy) {
  Cluster c = Parse("min=2 h1=unreachable[d1=X,dead] h2[d2=X] h3[d3=_]");
  FidPolicy rule;
  rule.policy = std::make_shared<MultipleHostsPolicy>();
  rule.mindevcount = c.min;
  FixedRandom random(0);
  EXPECT_EQ(rule.Decide(c.snapshot, c.on, {}, random).ToString(), "ideal(3)");
  EXPECT_EQ(rule.Decide(c.snapshot, c.on, {3}, random).ToString(), "temp_fail");
  // Repeated and unknown devids are not copies.
  EXPECT_EQ(CountedCopies(c.snapshot, {2, 2, 1, 99}), (std::vector<uint32_t>{2}));
}

TEST(ReplicationPolicyParseTest, AcceptsUpstreamForms) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "MultipleHosts()"},
      {"MultipleHosts()", "MultipleHosts()"},
      {"MultipleHosts(3)", "MultipleHosts(3)"},
      {"  MultipleHosts ( 4 ) trailing junk", "MultipleHosts(4)"},
      {"MogileFS::ReplicationPolicy::MultipleDevices(2)", "MultipleDevices(2)"},
      {"MultipleDevices()", "MultipleDevices()"},
      {"Union(MultipleHosts(2), MultipleDevices(3))", "Union(MultipleHosts(2), MultipleDevices(3))"},
  };
  for (const auto& [text, canonical] : cases) {
    auto p = ParseReplicationPolicy(text);
    ASSERT_TRUE(p) << text;
    EXPECT_EQ((*p)->ToString(), canonical) << text;
  }
  EXPECT_EQ((*ParseReplicationPolicy("MultipleHosts(3)"))->explicit_min(), 3);
}

TEST(ReplicationPolicyParseTest, RejectsUnknownClassesAndBadArgs) {
  for (const char* text : {"MultipleHost(2)", "MultipleHosts", "MultipleHosts(x)",
                           "MultipleHosts(2", "(2)", "Foo::Bar(1)", "Union(MultipleHosts(2)",
                           "MultipleNetworks(2)"}) {
    auto p = ParseReplicationPolicy(text);
    ASSERT_FALSE(p) << text;
    EXPECT_EQ(p.error().code(), Errc::kInvalidReplpolicy) << text;
  }
}

TEST(ReplicationPolicyParseTest, UnionNeverSuggestsACopy) {
  Cluster c = Parse("min=2 h1[d1=X] h2[d2=_]");
  auto p = ParseReplicationPolicy("Union(MultipleHosts(), MultipleDevices())");
  ASSERT_TRUE(p);
  FixedRandom random(0);
  auto d = (*p)->ReplicateTo(c.snapshot, ReplicationInput{c.on, {}, 2, {}}, random);
  EXPECT_FALSE(d.satisfied());
  EXPECT_EQ(d.ToString(), "temp_fail");
}

std::vector<uint32_t> Create(const std::string& cluster, bool multi, double r,
                             std::optional<uint64_t> size = std::nullopt) {
  Cluster c = Parse(cluster);
  FixedRandom random(r);
  return SelectCreateDevices(c.snapshot, CreateDestRequest{size, multi}, random);
}

TEST(CreateOpenPlacementTest, PicksOnlyDevicesThatGetNewFiles) {
  // Only d4 qualifies: readonly, drain, down, dead, readable-observed, unknown usage and
  // full devices never get new files.
  const char* cluster =
      "h1[d1=_,readonly d2=_,drain d3=_,down d4=_ d5=_,dead d6=_,readable d7=_,nousage "
      "d8=_,used=950] h2=readonly[d9=_] h3=unreachable[d10=_]";
  for (double r : {0.0, 0.5, 0.999}) {
    EXPECT_EQ(Create(cluster, false, r), (std::vector<uint32_t>{4}));
    EXPECT_EQ(Create(cluster, true, r), (std::vector<uint32_t>{4}));
  }
  EXPECT_TRUE(Create("h1[d1=_,readonly] h2=down[d2=_]", true, 0).empty());
}

TEST(CreateOpenPlacementTest, MultiDestUsesDifferentHosts) {
  // Host 1 has the three emptiest devices; a broken host filter would pick them all.
  const char* cluster =
      "h1[d1=_,used=10 d2=_,used=20 d3=_,used=30] h2[d4=_,used=500] h3[d5=_,used=600] "
      "h4[d6=_,used=700]";
  for (double r : {0.0, 0.3, 0.7, 0.999}) {
    Cluster c = Parse(cluster);
    auto got = Create(cluster, true, r);
    ASSERT_EQ(got.size(), 3u) << r;
    std::set<uint32_t> hosts;
    for (uint32_t devid : got) hosts.insert(c.snapshot.FindDevice(devid)->row.hostid);
    EXPECT_EQ(hosts.size(), 3u) << r;
  }
  EXPECT_EQ(Create(cluster, true, 0.0), (std::vector<uint32_t>{1, 4, 5}));
  EXPECT_EQ(Create(cluster, false, 0.0), (std::vector<uint32_t>{1}));
  // One host: one destination, however many devices it has.
  EXPECT_EQ(Create("h1[d1=_ d2=_ d3=_]", true, 0.0).size(), 1u);
}

TEST(CreateOpenPlacementTest, SizeFiltersByKnownFreeSpaceThenFallsBackToUnknown) {
  // d1 has 900 MiB free, d2 100 MiB free... (min_free_space is 100, so d2 still qualifies).
  const char* cluster = "h1[d1=_] h2[d2=_,used=900]";
  const uint64_t mib = 1048576;
  EXPECT_EQ(Create(cluster, true, 0.999, 500 * mib), (std::vector<uint32_t>{1}));
  EXPECT_EQ(Create(cluster, false, 0.999, 50 * mib), (std::vector<uint32_t>{2}));
  // Nothing fits: devices with unknown usage would be used, but they have weight 0.
  EXPECT_TRUE(Create(cluster, true, 0.0, 5000 * mib).empty());
  EXPECT_TRUE(Create("h1[d1=_,nousage]", true, 0.0, 5000 * mib).empty());
}

TEST(CreateOpenPlacementTest, OnlyTheTwentyEmptiestDevicesAreConsidered) {
  std::string cluster = "h1[";
  for (int i = 1; i <= 25; ++i) {
    cluster += "d" + std::to_string(i) + "=_,used=" + std::to_string(100 + i * 10) + " ";
  }
  cluster += "]";
  // With r→1 the last of the shuffled list is picked: the 20th emptiest, never 21..25.
  EXPECT_EQ(Create(cluster, false, 0.999999), (std::vector<uint32_t>{20}));
}

TEST(WeightedListTest, DropsNonPositiveWeightsAndFollowsTheRandomDraw) {
  FixedRandom first(0);
  auto out = WeightedList<int>({{1, 10}, {2, 0}, {3, -5}, {4, 30}}, first);
  EXPECT_EQ(out, (std::vector<int>{1, 4}));
  // target = 0.5 * 40 = 20 → the running sum reaches it at item 4 (10+30).
  FixedRandom mid(0.5);
  out = WeightedList<int>({{1, 10}, {4, 30}}, mid);
  EXPECT_EQ(out, (std::vector<int>{4, 1}));
}

TEST(WeightedListTest, FrequenciesFollowWeights) {
  DefaultRandom random(42);
  int first_is_heavy = 0;
  for (int i = 0; i < 2000; ++i) {
    auto out = WeightedList<int>({{1, 10}, {2, 90}}, random);
    ASSERT_EQ(out.size(), 2u);
    first_is_heavy += out[0] == 2 ? 1 : 0;
  }
  // Expected 1800; a uniform shuffle would give ~1000.
  EXPECT_GT(first_is_heavy, 1650);
  EXPECT_LT(first_is_heavy, 1950);
}

TEST(ReadOrderTest, WeightUsesIntegerUtilizationElseWeightColumn) {
  Cluster c = Parse(
      "h1[d1=X,util=52 d2=X,util=52.55,weight=7 d3=X d4=X,util=- d5=X,util=102 d6=X,weight=0]");
  auto w = [&](uint32_t devid) { return ReadWeight(*c.snapshot.FindDevice(devid)); };
  EXPECT_EQ(w(1), 50);
  EXPECT_EQ(w(2), 7);    // iostat-style value ignored, weight column used
  EXPECT_EQ(w(3), 100);  // no weight → 100
  EXPECT_EQ(w(4), 100);
  EXPECT_EQ(w(5), 100);  // 102 - 102 = 0 → 100
  EXPECT_EQ(w(6), 100);
}

TEST(ReadOrderTest, DrainLastUnreadableAsBackupUnknownReported) {
  Cluster c = Parse(
      "h1[d1=X d2=X,drain d3=X,down d4=X,dead d5=X,unreachable] h2=unreachable[d6=X] "
      "h3[d7=X,readonly]");
  FixedRandom first(0);
  auto plan = PlanReadPaths(c.snapshot, {1, 2, 3, 4, 5, 6, 7, 99}, first);
  std::vector<uint32_t> readable;
  for (const auto& cand : plan.candidates) {
    readable.push_back(cand.devid);
    EXPECT_EQ(cand.drain, cand.devid == 2);
  }
  // With r=0 the weighted list keeps input order (equal weights).
  EXPECT_EQ(readable, (std::vector<uint32_t>{1, 2, 7}));
  ASSERT_TRUE(plan.backup);
  EXPECT_EQ(*plan.backup, 6u);  // the last unreadable device seen
  EXPECT_EQ(plan.unknown, (std::vector<uint32_t>{99}));
}

TEST(ReadOrderTest, LowUtilizationTendsToComeFirst) {
  Cluster c = Parse("h1[d1=X,util=100 d2=X,util=2]");
  FixedRandom mid(0.5);  // weights 2 and 100: target 51 → d2 reached first
  auto plan = PlanReadPaths(c.snapshot, {1, 2}, mid);
  ASSERT_EQ(plan.candidates.size(), 2u);
  EXPECT_EQ(plan.candidates[0].devid, 2u);
}

}  // namespace
}  // namespace mog::tracker
