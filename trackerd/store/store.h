// The tracker's metadata store: the ONE seam through which query commands and workers touch
// the database. Rows are plain structs, every method returns Result<T>, and no SQL (nor any
// MySQL type) leaks out, so an embedded store (SQLite) or a test fake can replace MySqlStore
// without touching callers.
//
// Threading: a Store is one database connection. It is NOT thread-safe; every query worker /
// worker thread makes its own with StoreFactory::Create().
//
// Errors: duplicate key -> Errc::kDup; connection lost or any other database failure ->
// Errc::kDb (detail carries the server message). After a lost connection the next call
// reconnects; idempotent reads are retried once on a fresh connection, writes are not.
// Named locks (GetLock) live on the connection and are silently lost with it.
//
// Times: every queue time is database time (UNIX_TIMESTAMP() on the server, §6 of the
// reference), never the tracker's clock; NextTry expresses "absolute" or "DB now + N".
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error/error.h"

namespace mog::tracker {

using Fid = uint64_t;
using DevId = uint32_t;
using HostId = uint32_t;
using DmId = uint32_t;     // SMALLINT UNSIGNED in the schema
using ClassId = uint32_t;  // TINYINT UNSIGNED (0 = the "default" class)

// checksum.hashtype / class.hashtype values.
inline constexpr int kHashNone = 0;  // class.hashtype NULL
inline constexpr int kHashMd5 = 1;
inline constexpr int kHashSha1 = 2;

// nexttry value for rows parked "until the end of time" (no source copy).
inline constexpr int64_t kNextTryNever = 2147483647;
// file_to_queue.type values.
inline constexpr int kQueueTypeFsck = 1;
inline constexpr int kQueueTypeRebalance = 2;

// How far upstream's JobMaster dates the rows it claims (claimed work a dead tracker held
// comes back after this long).
inline constexpr int kUpstreamClaimLeaseSeconds = 1000;

// ---- Rows (one per table; nullable columns are std::optional or documented) ----

struct DomainRow {
  DmId dmid = 0;
  std::string name;  // `namespace` column
};

struct ClassRow {
  DmId dmid = 0;
  ClassId classid = 0;
  std::string name;  // classname
  int mindevcount = 0;
  int hashtype = kHashNone;  // NULL -> kHashNone
  std::string replpolicy;    // NULL -> "" (callers default to "MultipleHosts()")
};

struct HostRow {
  HostId hostid = 0;
  std::string status;  // alive|dead|down|readonly ("" if NULL)
  std::optional<uint32_t> http_port;
  std::optional<uint32_t> http_get_port;
  std::string hostname;
  std::string hostip;
  std::string altip;    // "" if NULL
  std::string altmask;  // "" if NULL
};

struct DeviceRow {
  DevId devid = 0;
  HostId hostid = 0;
  std::string status;  // alive|dead|down|readonly|drain ("" if NULL)
  std::optional<int> weight;
  std::optional<uint64_t> mb_total;
  std::optional<uint64_t> mb_used;
  std::optional<int64_t> mb_asof;
};

struct FileRow {
  Fid fid = 0;
  DmId dmid = 0;
  std::string dkey;  // raw bytes, up to 255
  uint64_t length = 0;
  ClassId classid = 0;
  int devcount = 0;
};

struct TempfileRow {
  Fid fid = 0;
  int64_t createtime = 0;
  ClassId classid = 0;
  DmId dmid = 0;
  std::string dkey;
  std::string devids;  // comma-joined devids offered at create_open ("" if NULL)
};

struct ChecksumRow {
  Fid fid = 0;
  int hashtype = kHashNone;  // kHashMd5 / kHashSha1
  std::string checksum;      // raw digest bytes (16 or 20)
};

struct ReplicateQueueRow {  // file_to_replicate
  Fid fid = 0;
  int64_t nexttry = 0;
  std::optional<DevId> fromdevid;
  int failcount = 0;
  int flags = 0;
};

struct DeleteQueueRow {  // file_to_delete2
  Fid fid = 0;
  int64_t nexttry = 0;
  int failcount = 0;
};

struct QueueRow {  // file_to_queue (fsck = type 1, rebalance = type 2)
  Fid fid = 0;
  std::optional<DevId> devid;
  int type = 0;
  int64_t nexttry = 0;
  int failcount = 0;
  int flags = 0;
  std::optional<std::string> arg;
};

struct FsckLogRow {
  uint64_t logid = 0;
  int64_t utime = 0;
  std::optional<Fid> fid;
  std::string evcode;  // NOPA, POVI, ... ("" if NULL)
  std::optional<DevId> devid;
};

// ---- Arguments ----

// A queue time: an absolute epoch (0 = due now, kNextTryNever = parked) or DB-now + seconds.
struct NextTry {
  bool from_now = false;
  int64_t seconds = 0;
  static NextTry At(int64_t epoch) { return {false, epoch}; }
  static NextTry In(int64_t delay) { return {true, delay}; }
};

// Fields to change; unset members are left alone.
struct ClassUpdate {
  std::optional<std::string> name;
  std::optional<int> mindevcount;
  std::optional<std::string> replpolicy;  // "" stores NULL
  std::optional<int> hashtype;            // kHashNone stores NULL
};

// Fields to change (update_host writes exactly the fields present). For the integer columns
// (http_port, http_get_port) an empty string stores NULL; other text is parsed as a number
// (non-numeric -> Errc::kFailure, nothing written).
struct HostUpdate {
  std::optional<std::string> hostname;
  std::optional<std::string> hostip;
  std::optional<std::string> http_port;
  std::optional<std::string> http_get_port;
  std::optional<std::string> altip;    // "" stores NULL (keeps UNIQUE(altip) usable)
  std::optional<std::string> altmask;  // "" stores NULL
  std::optional<std::string> status;
};

struct DeviceUpdate {
  std::optional<std::string> status;
  std::optional<int> weight;
};

// One Monitor usage report (MiB; mb_asof = tracker epoch, as upstream).
struct DeviceUsage {
  DevId devid = 0;
  uint64_t mb_total = 0;
  uint64_t mb_used = 0;
  int64_t mb_asof = 0;
};

struct NewTempfile {
  std::optional<Fid> explicit_fid;  // create_open fid=N; unset = auto (AUTO_INCREMENT)
  DmId dmid = 0;
  std::string dkey;
  ClassId classid = 0;
  std::string devids;  // comma-joined; "" stores NULL
};

// Everything create_close writes once the upload is verified (§2.2 step 10), applied in ONE
// transaction: file_on(fid, devid), optional checksum REPLACE, REPLACE INTO file (devcount 1),
// INSERT IGNORE file_to_replicate (fid, fromdevid NULL, nexttry 0).
struct CloseFile {
  FileRow file;  // fid, dmid, dkey, length, classid (devcount is forced to 1)
  DevId devid = 0;
  std::optional<ChecksumRow> checksum;
  // Upstream queues every closed file; a class whose policy one copy satisfies has nothing to
  // replicate, and skipping the row saves the replicate worker a claim + check + dequeue.
  bool enqueue_replication = true;
};

// create_close's outcome when the tempfile claim and the commit share one transaction.
enum class CloseOutcome { kClosed, kNoTempfile, kFidExists };

// get_paths in one round trip: the file row and the devids of its file_on rows (ascending).
struct FileWithDevids {
  FileRow file;
  std::vector<DevId> devids;
};

struct ListKeysQuery {
  DmId dmid = 0;
  std::string prefix;  // matched literally (% _ \ escaped); "" = all
  std::string after;   // keys strictly greater (collation order); "" = from the start
  int limit = 1000;
  bool case_sensitive = false;  // server setting case_sensitive_list_keys
};

class Store {
 public:
  virtual ~Store() = default;

  // ---- Health ----
  // Round trip to the server (reconnecting if needed).
  virtual Result<void> Ping() = 0;
  // The database's UNIX_TIMESTAMP().
  virtual Result<int64_t> DbNow() = 0;

  // ---- Domains ----
  virtual Result<std::vector<DomainRow>> GetAllDomains() = 0;
  // Lookup by name in the DB (collation-dependent, usually case-insensitive: admin commands).
  virtual Result<std::optional<DomainRow>> FindDomain(std::string_view name) = 0;
  // dmid = MAX(dmid)+1. Existing name -> kDup.
  virtual Result<DmId> CreateDomain(std::string_view name) = 0;
  // Deletes the domain row and its class rows (only `default` can be left by then).
  virtual Result<void> DeleteDomain(DmId dmid) = 0;
  virtual Result<bool> DomainHasFiles(DmId dmid) = 0;
  // True if any class other than id 0 exists in the domain.
  virtual Result<bool> DomainHasClasses(DmId dmid) = 0;

  // ---- Classes ----
  virtual Result<std::vector<ClassRow>> GetAllClasses() = 0;
  virtual Result<std::optional<ClassRow>> FindClass(DmId dmid, std::string_view name) = 0;
  // classid 0 for "default", else MAX(classid in domain)+1; inserted with mindevcount 2,
  // then `update` is applied. Existing name -> kDup.
  virtual Result<ClassId> CreateClass(DmId dmid, std::string_view name,
                                      const ClassUpdate& update) = 0;
  virtual Result<void> UpdateClass(DmId dmid, ClassId classid, const ClassUpdate& update) = 0;
  virtual Result<void> DeleteClass(DmId dmid, ClassId classid) = 0;
  virtual Result<bool> ClassHasFiles(DmId dmid, ClassId classid) = 0;

  // ---- Hosts ----
  virtual Result<std::vector<HostRow>> GetAllHosts() = 0;
  virtual Result<std::optional<HostRow>> FindHost(std::string_view hostname) = 0;
  // hostid = MAX(hostid)+1, status `down`; then `update` is applied. Dup name/ip -> kDup.
  virtual Result<HostId> CreateHost(std::string_view hostname, std::string_view hostip,
                                    const HostUpdate& update) = 0;
  virtual Result<void> UpdateHost(HostId hostid, const HostUpdate& update) = 0;
  virtual Result<void> DeleteHost(HostId hostid) = 0;
  virtual Result<bool> HostHasDevices(HostId hostid) = 0;

  // ---- Devices ----
  virtual Result<std::vector<DeviceRow>> GetAllDevices() = 0;
  virtual Result<std::optional<DeviceRow>> GetDevice(DevId devid) = 0;
  // Existing devid -> kDup.
  virtual Result<void> CreateDevice(DevId devid, HostId hostid, std::string_view status) = 0;
  virtual Result<void> UpdateDevice(DevId devid, const DeviceUpdate& update) = 0;
  // Monitor: UPDATE device SET mb_total/mb_used/mb_asof for each report (one statement).
  virtual Result<void> UpdateDeviceUsages(const std::vector<DeviceUsage>& usages) = 0;

  // ---- Tempfiles and fid allocation (§2.2) ----
  // Inserts the tempfile row (createtime = DB now) and returns its fid. `min_fidid` is
  // MAX(file.fid) read at tracker start-up: while the fid is in `file` or <= min_fidid an
  // auto fid is re-allocated (AUTO_INCREMENT re-seeded above MAX(file.fid)); an explicit fid
  // in that situation, or already in `tempfile`, -> Errc::kFidInUse.
  virtual Result<Fid> RegisterTempfile(const NewTempfile& row, Fid min_fidid) = 0;
  virtual Result<std::optional<TempfileRow>> GetTempfile(Fid fid) = 0;
  // create_close: reads and deletes the row; nullopt if another close won (no_temp_file).
  virtual Result<std::optional<TempfileRow>> TakeTempfile(Fid fid) = 0;
  // Delete worker GC: rows with createtime < DB now - age_seconds.
  virtual Result<std::vector<TempfileRow>> OldTempfiles(int64_t age_seconds, int limit) = 0;
  virtual Result<void> DeleteTempfile(Fid fid) = 0;

  // ---- Files ----
  virtual Result<std::optional<FileRow>> FileByKey(DmId dmid, std::string_view dkey) = 0;
  virtual Result<std::optional<FileWithDevids>> FileWithDevidsByKey(DmId dmid,
                                                                    std::string_view dkey) = 0;
  virtual Result<std::optional<FileRow>> FileByFid(Fid fid) = 0;
  // Rows for the fids that exist (order unspecified).
  virtual Result<std::vector<FileRow>> FilesByFids(const std::vector<Fid>& fids) = 0;
  virtual Result<void> CommitFile(const CloseFile& close) = 0;
  // create_close in ONE transaction (one COMMIT per upload): DELETE the tempfile row (nothing
  // deleted -> kNoTempfile: another close won or it never existed), an older file under the
  // same key is deleted and queued for deletion (the same fid -> kFidExists, nothing changed),
  // then everything CommitFile writes.
  virtual Result<CloseOutcome> CloseUpload(const CloseFile& close) = 0;
  // delete / replacement on create_close: DELETE the file row and
  // INSERT IGNORE file_to_delete2 (fid, nexttry = DB now), in one transaction.
  virtual Result<void> DeleteFileAndEnqueue(Fid fid) = 0;
  // false if no file has from_key; the target key taken -> kDup (rename's key_exists).
  virtual Result<bool> RenameFile(DmId dmid, std::string_view from_key,
                                  std::string_view to_key) = 0;
  virtual Result<void> UpdateFileClass(Fid fid, ClassId classid) = 0;
  // devcount := COUNT(*) FROM file_on (one atomic statement).
  virtual Result<void> UpdateDevcount(Fid fid) = 0;
  virtual Result<void> SetDevcount(Fid fid, int devcount) = 0;
  // Keys in collation order (see ListKeysQuery); limit is capped at 1000.
  virtual Result<std::vector<std::string>> ListKeys(const ListKeysQuery& query) = 0;
  // list_fids: files with fid > after_fid, ascending fid, at most limit.
  virtual Result<std::vector<FileRow>> ListFids(Fid after_fid, int limit) = 0;
  // MAX(file.fid), 0 if empty (min_fidid, fsck_fid_at_end).
  virtual Result<Fid> MaxFid() = 0;
  // fsck injection: fids with after_fid < fid <= upto_fid, ascending, at most limit.
  virtual Result<std::vector<Fid>> FidsBetween(Fid after_fid, Fid upto_fid, int limit) = 0;

  // ---- file_on ----
  virtual Result<std::vector<DevId>> GetFileOn(Fid fid) = 0;
  // INSERT IGNORE: adding an existing (fid, devid) succeeds.
  virtual Result<void> AddFileOn(Fid fid, DevId devid) = 0;
  virtual Result<void> RemoveFileOn(Fid fid, DevId devid) = 0;
  // Fids stored on a device, ascending (or descending) fid after/before `cursor`
  // (0 = from the start), at most limit: reaper and rebalance.
  virtual Result<std::vector<Fid>> FidsOnDevice(DevId devid, Fid cursor, int limit,
                                                bool descending = false) = 0;

  // ---- Checksums ----
  virtual Result<std::optional<ChecksumRow>> GetChecksum(Fid fid) = 0;
  virtual Result<void> SetChecksum(const ChecksumRow& row) = 0;  // REPLACE
  virtual Result<void> DeleteChecksum(Fid fid) = 0;

  // ---- Replication queue (file_to_replicate) ----
  // INSERT IGNORE (an already queued fid keeps its row).
  virtual Result<void> EnqueueReplicate(Fid fid, std::optional<DevId> fromdevid,
                                        NextTry nexttry) = 0;
  // JobMaster claim: in one transaction, rows with nexttry <= DB now ordered by nexttry
  // (FOR UPDATE), then nexttry := DB now + lease_seconds (upstream: 1000). The lease is set
  // in the claim's own transaction, so a tracker or database dying right after it cannot
  // leave rows parked longer than the lease. A deadlock yields an empty batch.
  virtual Result<std::vector<ReplicateQueueRow>> ClaimReplicate(
      int limit, int lease_seconds = kUpstreamClaimLeaseSeconds) = 0;
  virtual Result<std::optional<ReplicateQueueRow>> GetReplicateQueueRow(Fid fid) = 0;
  // nexttry := `nexttry`, failcount := failcount + 1 (if bump_failcount).
  virtual Result<void> RescheduleReplicate(Fid fid, NextTry nexttry,
                                           bool bump_failcount = true) = 0;
  virtual Result<void> DequeueReplicate(Fid fid) = 0;
  // replicate_now: nexttry := DB now where nexttry > DB now; returns rows changed.
  virtual Result<uint64_t> ReplicateNow() = 0;
  // Rows with nexttry != 0 AND nexttry < kNextTryNever (reaper's queue_size_for_reaper).
  virtual Result<uint64_t> CountDeferredReplicate() = 0;

  // ---- Delete queue (file_to_delete2) ----
  virtual Result<void> EnqueueDelete(Fid fid, NextTry nexttry) = 0;  // INSERT IGNORE
  virtual Result<std::vector<DeleteQueueRow>> ClaimDelete(
      int limit, int lease_seconds = kUpstreamClaimLeaseSeconds) = 0;
  virtual Result<std::optional<DeleteQueueRow>> GetDeleteQueueRow(Fid fid) = 0;
  virtual Result<void> RescheduleDelete(Fid fid, NextTry nexttry, bool bump_failcount = true) = 0;
  virtual Result<void> DequeueDelete(Fid fid) = 0;
  // Legacy queues nothing in 2.73 fills (file_to_delete, and file_to_delete_later rows
  // whose delafter has passed): fids to drain, then RemoveLegacyDelete.
  virtual Result<std::vector<Fid>> LegacyDeleteFids(int limit) = 0;
  virtual Result<void> RemoveLegacyDelete(Fid fid) = 0;

  // ---- Generic queue (file_to_queue: fsck type 1, rebalance type 2) ----
  // INSERT IGNORE each row (nexttry as given, absolute).
  virtual Result<void> EnqueueQueueRows(const std::vector<QueueRow>& rows) = 0;
  // Claim rows of `type` as for ClaimReplicate (the claim UPDATE has no type filter, as
  // upstream, so the same fid queued as both types is claimed together).
  virtual Result<std::vector<QueueRow>> ClaimQueue(
      int type, int limit, int lease_seconds = kUpstreamClaimLeaseSeconds) = 0;
  virtual Result<std::vector<QueueRow>> GetQueueRows(Fid fid) = 0;  // all types (file_debug)
  virtual Result<void> RescheduleQueue(Fid fid, int type, NextTry nexttry,
                                       bool bump_failcount = true) = 0;
  virtual Result<void> DequeueQueueRow(Fid fid, int type) = 0;
  // Every file_to_replicate and file_to_queue row of `fid` (a deleted file has no work left).
  virtual Result<void> DequeueAllWork(Fid fid) = 0;
  virtual Result<uint64_t> CountQueue(int type) = 0;

  // ---- server_settings ----
  virtual Result<std::optional<std::string>> GetServerSetting(std::string_view key) = 0;
  virtual Result<std::map<std::string, std::string>> GetServerSettings() = 0;
  virtual Result<void> SetServerSetting(std::string_view key, std::string_view value) = 0;
  virtual Result<void> DeleteServerSetting(std::string_view key) = 0;
  // Keys starting with `prefix` (e.g. "fsck_sum_evcount_").
  virtual Result<void> DeleteServerSettingsWithPrefix(std::string_view prefix) = 0;
  // value := value + by (missing row = 0); returns the new value.
  virtual Result<int64_t> IncrServerSetting(std::string_view key, int64_t by) = 0;

  // ---- fsck_log ----
  // utime = DB now.
  virtual Result<void> AddFsckLog(std::optional<Fid> fid, std::string_view evcode,
                                  std::optional<DevId> devid) = 0;
  // Rows with logid > after_logid ascending, at most limit.
  virtual Result<std::vector<FsckLogRow>> FsckLogRows(uint64_t after_logid, int limit) = 0;
  // evcode -> count over after_logid < logid <= upto_logid.
  virtual Result<std::map<std::string, uint64_t>> FsckLogCounts(uint64_t after_logid,
                                                                uint64_t upto_logid) = 0;
  virtual Result<uint64_t> MaxFsckLogid() = 0;  // 0 if empty
  virtual Result<void> ClearFsckLog() = 0;      // TRUNCATE

  // ---- Named locks (§6.10; GET_LOCK semantics, held by this connection) ----
  // true = acquired, false = timed out (busy). timeout_seconds 0 = try-lock.
  virtual Result<bool> GetLock(std::string_view name, int timeout_seconds) = 0;
  virtual Result<void> ReleaseLock(std::string_view name) = 0;
};

// Holds a named lock for a scope; releases it (best effort) on destruction.
class ScopedNamedLock {
 public:
  ScopedNamedLock(Store& store, std::string name) : store_(store), name_(std::move(name)) {}
  ~ScopedNamedLock() {
    if (held_) (void)store_.ReleaseLock(name_);
  }
  ScopedNamedLock(const ScopedNamedLock&) = delete;
  ScopedNamedLock& operator=(const ScopedNamedLock&) = delete;
  // As Store::GetLock.
  Result<bool> Acquire(int timeout_seconds) {
    auto got = store_.GetLock(name_, timeout_seconds);
    if (got && *got) held_ = true;
    return got;
  }
  bool held() const { return held_; }

 private:
  Store& store_;
  std::string name_;
  bool held_ = false;
};

struct StoreOptions {
  std::string dsn = "DBI:mysql:mogilefs";  // Perl DBI style (db_dsn)
  std::string user = "mogile";
  std::string pass;
  int connect_timeout_seconds = 10;
  // Per read/write on the socket; a hung server fails a call after this. Kept above the
  // longest GET_LOCK wait (30 s) so lock waits never time out the connection.
  int read_write_timeout_seconds = 40;
};

// Makes one Store per thread. Create() connects (a bad DSN/credentials fail here).
class StoreFactory {
 public:
  virtual ~StoreFactory() = default;
  virtual Result<std::unique_ptr<Store>> Create() = 0;
};

// Picks the implementation from the DSN scheme (DBI:mysql: today; else Errc::kFailure with a
// clear message). Does not connect.
Result<std::unique_ptr<StoreFactory>> MakeStoreFactory(const StoreOptions& options);

}  // namespace mog::tracker
