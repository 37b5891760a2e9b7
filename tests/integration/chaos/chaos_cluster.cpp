#include "tests/integration/chaos/chaos_cluster.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/fid/fid_path.h"

namespace mog::test {
namespace {

std::string ReadDiskFile(const std::string& path, bool* exists) {
  std::ifstream in(path, std::ios::binary);
  *exists = static_cast<bool>(in);
  if (!in) return {};
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string SqlQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

}  // namespace

ChaosCluster::ChaosCluster() {
  LocalClusterOptions options;
  options.storage_nodes = 3;
  cluster_ = std::make_unique<LocalCluster>(options);
  auto domain = cluster_->Call("create_domain", {{"domain", kChaosDomain}});
  if (!domain.ok) throw std::runtime_error("create_domain: " + domain.errcode);
  for (const auto& [name, count] : {std::pair{"two", "2"}, std::pair{"three", "3"}}) {
    auto c = cluster_->Call("create_class",
                            {{"domain", kChaosDomain}, {"class", name}, {"mindevcount", count}});
    if (!c.ok) throw std::runtime_error("create_class: " + c.errcode + " " + c.errstr);
  }
  dmid_ = cluster_->db().QueryValue(
      "SELECT dmid FROM domain WHERE namespace=" + SqlQuote(kChaosDomain), cluster_->database());
  client::TrackerOptions to;
  to.reply_timeout = std::chrono::seconds(10);
  to.dead_retry = std::chrono::milliseconds(200);
  reader_trackers_ =
      std::make_unique<client::TrackerConnection>(std::vector<std::string>{TrackerAddress()}, to);
  reader_ = std::make_unique<client::Client>(*reader_trackers_, kChaosDomain);
}

std::string ChaosCluster::TrackerAddress() const {
  return cluster_->tracker_ip() + ":" + std::to_string(cluster_->tracker_port());
}

std::vector<uint64_t> ChaosCluster::ClaimedReplications() {
  std::vector<uint64_t> fids;
  for (const auto& r : cluster_->db().Query(
           "SELECT fid FROM file_to_replicate WHERE failcount = 0 AND nexttry > UNIX_TIMESTAMP()",
           cluster_->database())) {
    fids.push_back(std::stoull(r.at(0)));
  }
  return fids;
}

int64_t ChaosCluster::CountReplicationRows(const std::string& where) {
  try {
    return std::stoll(cluster_->db().QueryValue(
        "SELECT COUNT(*) FROM file_to_replicate WHERE " + where, cluster_->database()));
  } catch (const std::exception&) {
    return -1;
  }
}

size_t ChaosCluster::StillQueued(const std::vector<uint64_t>& fids) {
  if (fids.empty()) return 0;
  std::string list;
  for (uint64_t fid : fids) list += (list.empty() ? "" : ",") + std::to_string(fid);
  return std::stoull(cluster_->db().QueryValue(
      "SELECT COUNT(*) FROM file_to_replicate WHERE fid IN (" + list + ")", cluster_->database()));
}

std::string ChaosCluster::ReplicationRowOf(const std::string& reason) {
  if (!reason.starts_with("fid ")) return "";
  const std::string fid = reason.substr(4, reason.find(':') - 4);
  try {
    auto rows = cluster_->db().Query(
        "SELECT nexttry - UNIX_TIMESTAMP(), failcount FROM file_to_replicate WHERE fid=" + fid,
        cluster_->database());
    if (rows.empty()) return "no file_to_replicate row";
    return "file_to_replicate: due in " + rows[0].at(0) + " s, failcount " + rows[0].at(1);
  } catch (const std::exception& e) {
    return std::string("file_to_replicate unreadable: ") + e.what();
  }
}

std::map<std::string, std::string> ChaosCluster::CheckFiles(
    const std::map<std::string, AckedFile>& acked, const std::set<std::string>& keys) {
  std::map<std::string, std::string> problems;
  struct Row {
    uint64_t fid = 0;
    uint64_t length = 0;
    std::vector<uint64_t> devids;
  };
  std::map<std::string, Row> rows;
  std::map<uint64_t, std::string> key_of_fid;
  try {
    for (const auto& r : cluster_->db().Query(
             "SELECT dkey, fid, length FROM file WHERE dmid=" + dmid_, cluster_->database())) {
      if (!keys.count(r.at(0))) continue;
      Row& row = rows[r.at(0)];
      row.fid = std::stoull(r.at(1));
      row.length = std::stoull(r.at(2));
      key_of_fid[row.fid] = r.at(0);
    }
    for (const auto& r : cluster_->db().Query(
             "SELECT o.fid, o.devid FROM file_on o JOIN file f ON f.fid=o.fid WHERE f.dmid=" +
                 dmid_ + " ORDER BY o.fid, o.devid",
             cluster_->database())) {
      auto it = key_of_fid.find(std::stoull(r.at(0)));
      if (it != key_of_fid.end()) rows[it->second].devids.push_back(std::stoull(r.at(1)));
    }
  } catch (const std::exception& e) {
    for (const auto& key : keys) problems[key] = std::string("DB query failed: ") + e.what();
    return problems;
  }
  for (const auto& key : keys) {
    const AckedFile& file = acked.at(key);
    auto it = rows.find(key);
    std::string why = it == rows.end() ? "no file row (LOST)"
                                       : CheckOne(key, file, it->second.fid, it->second.length,
                                                  it->second.devids);
    if (why.empty()) why = CheckRead(key, file.body);
    if (!why.empty()) problems[key] = why;
  }
  return problems;
}

std::string ChaosCluster::CheckOne(const std::string& key, const AckedFile& file, uint64_t fid,
                                   uint64_t length, const std::vector<uint64_t>& devids) {
  (void)key;
  const std::string where = "fid " + std::to_string(fid) + ": ";
  if (length != file.body.size()) {
    return where + "length " + std::to_string(length) + " in the file row, acknowledged " +
           std::to_string(file.body.size()) + " bytes (a different upload won?)";
  }
  std::set<std::string> good_hosts;
  for (uint64_t devid : devids) {
    const StorageNode* node = nullptr;
    for (const auto& n : cluster_->nodes()) {
      for (uint32_t d : n.devids) {
        if (d == devid) node = &n;
      }
    }
    if (!node) return where + "file_on names unknown dev" + std::to_string(devid);
    bool exists = false;
    const std::string disk = ReadDiskFile(node->docroot + FormatFidPath(devid, fid), &exists);
    if (!exists) return where + "file_on dev" + std::to_string(devid) + " but no file on disk";
    if (disk != file.body) {
      return where + "copy on dev" + std::to_string(devid) + " differs (" +
             std::to_string(disk.size()) + " bytes on disk)";
    }
    good_hosts.insert(node->hostname);
  }
  const int want = MinDevCount(file.class_name);
  if (static_cast<int>(good_hosts.size()) < want) {
    return where + std::to_string(good_hosts.size()) + " good copies on distinct hosts (" +
           std::to_string(devids.size()) + " file_on rows), class " + file.class_name + " wants " +
           std::to_string(want);
  }
  return "";
}

std::string ChaosCluster::CheckRead(const std::string& key, const std::string& body) {
  auto paths = reader_->GetPaths(key);
  if (!paths) return "get_paths: " + paths.error().errstr();
  if (paths->empty()) return "get_paths returned no path";
  std::string got;
  auto outcome = reader_->FetchPaths(
      *paths,
      [&](const char* data, size_t n) {
        got.append(data, n);
        return true;
      },
      [&] {
        got.clear();
        return true;
      });
  if (!outcome.ok) return "HTTP GET failed on every path (" + paths->front() + ")";
  if (got != body) return "HTTP GET of " + paths->front() + " returned different bytes";
  return "";
}

}  // namespace mog::test
