// The cluster of the chaos test: LocalCluster with three storage nodes on 127.0.0.2-4, domain
// "chaos" with classes "two" (mindevcount 2) and "three" (mindevcount 3), and the checks that
// decide whether an acknowledged file survived: the DB rows, the nodes' disks and a client
// read through get_paths + HTTP GET.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>

#include "tests/integration/chaos/upload_load.h"
#include "tests/support/cluster.h"

namespace mog::test {

inline constexpr const char* kChaosDomain = "chaos";

class ChaosCluster {
 public:
  ChaosCluster();

  LocalCluster& cluster() { return *cluster_; }
  std::string TrackerAddress() const;

  // For each of `keys` (all in `acked`), why it is not (yet) recovered; empty map = all fine.
  // Recovered = the key's file row has the acknowledged length; at least mindevcount of its
  // file_on rows are on distinct hosts and hold the exact bytes on disk (no row points at a
  // missing or different copy); get_paths + HTTP GET returns the exact bytes.
  // Fids of file_to_replicate rows a JobMaster has claimed (failcount 0, dated in the future);
  // throws if the DB cannot be read.
  std::vector<uint64_t> ClaimedReplications();
  // COUNT(*) of file_to_replicate rows matching `where` (SQL), -1 if the DB cannot be read.
  int64_t CountReplicationRows(const std::string& where);
  // How many of `fids` still have a file_to_replicate row.
  size_t StillQueued(const std::vector<uint64_t>& fids);

  // The file_to_replicate row of the fid named at the start of a CheckFiles reason ("fid N:"):
  // "file_to_replicate: due in S s, failcount F" or "no file_to_replicate row" ("" if none named).
  std::string ReplicationRowOf(const std::string& reason);

  std::map<std::string, std::string> CheckFiles(const std::map<std::string, AckedFile>& acked,
                                                const std::set<std::string>& keys);

 private:
  std::string CheckOne(const std::string& key, const AckedFile& file, uint64_t fid, uint64_t length,
                       const std::vector<uint64_t>& devids);
  std::string CheckRead(const std::string& key, const std::string& body);
  int MinDevCount(const std::string& class_name) const { return class_name == "three" ? 3 : 2; }

  std::unique_ptr<LocalCluster> cluster_;
  std::unique_ptr<client::TrackerConnection> reader_trackers_;
  std::unique_ptr<client::Client> reader_;
  std::string dmid_;
};

}  // namespace mog::test
