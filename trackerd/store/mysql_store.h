// Store on MySQL/MariaDB with upstream 2.73's tables (schema.h). One connection; reconnects
// lazily after a lost connection: reads are retried once on the fresh connection, writes
// report Errc::kDb (the caller decides whether repeating them is safe).
#pragma once

#include <memory>

#include "trackerd/store/mysql_connection.h"
#include "trackerd/store/store.h"

namespace mog::tracker {

class MySqlStore : public Store {
 public:
  // Connects now; a bad DSN or refused login is an error here.
  static Result<std::unique_ptr<MySqlStore>> Open(const MySqlConnectParams& params);
  // Builds connection parameters from StoreOptions (DSN parsed by ParseDsn).
  static Result<MySqlConnectParams> ParamsFromOptions(const StoreOptions& options);

  Result<void> Ping() override;
  Result<int64_t> DbNow() override;

  Result<std::vector<DomainRow>> GetAllDomains() override;
  Result<std::optional<DomainRow>> FindDomain(std::string_view name) override;
  Result<DmId> CreateDomain(std::string_view name) override;
  Result<void> DeleteDomain(DmId dmid) override;
  Result<bool> DomainHasFiles(DmId dmid) override;
  Result<bool> DomainHasClasses(DmId dmid) override;

  Result<std::vector<ClassRow>> GetAllClasses() override;
  Result<std::optional<ClassRow>> FindClass(DmId dmid, std::string_view name) override;
  Result<ClassId> CreateClass(DmId dmid, std::string_view name, const ClassUpdate& update) override;
  Result<void> UpdateClass(DmId dmid, ClassId classid, const ClassUpdate& update) override;
  Result<void> DeleteClass(DmId dmid, ClassId classid) override;
  Result<bool> ClassHasFiles(DmId dmid, ClassId classid) override;

  Result<std::vector<HostRow>> GetAllHosts() override;
  Result<std::optional<HostRow>> FindHost(std::string_view hostname) override;
  Result<HostId> CreateHost(std::string_view hostname, std::string_view hostip,
                            const HostUpdate& update) override;
  Result<void> UpdateHost(HostId hostid, const HostUpdate& update) override;
  Result<void> DeleteHost(HostId hostid) override;
  Result<bool> HostHasDevices(HostId hostid) override;

  Result<std::vector<DeviceRow>> GetAllDevices() override;
  Result<std::optional<DeviceRow>> GetDevice(DevId devid) override;
  Result<void> CreateDevice(DevId devid, HostId hostid, std::string_view status) override;
  Result<void> UpdateDevice(DevId devid, const DeviceUpdate& update) override;
  Result<void> UpdateDeviceUsages(const std::vector<DeviceUsage>& usages) override;

  Result<Fid> RegisterTempfile(const NewTempfile& row, Fid min_fidid) override;
  Result<std::optional<TempfileRow>> GetTempfile(Fid fid) override;
  Result<std::optional<TempfileRow>> TakeTempfile(Fid fid) override;
  Result<std::vector<TempfileRow>> OldTempfiles(int64_t age_seconds, int limit) override;
  Result<void> DeleteTempfile(Fid fid) override;

  Result<std::optional<FileRow>> FileByKey(DmId dmid, std::string_view dkey) override;
  Result<std::optional<FileWithDevids>> FileWithDevidsByKey(DmId dmid,
                                                            std::string_view dkey) override;
  Result<std::optional<FileRow>> FileByFid(Fid fid) override;
  Result<std::vector<FileRow>> FilesByFids(const std::vector<Fid>& fids) override;
  Result<void> CommitFile(const CloseFile& close) override;
  Result<CloseOutcome> CloseUpload(const CloseFile& close) override;
  Result<void> DeleteFileAndEnqueue(Fid fid) override;
  Result<bool> RenameFile(DmId dmid, std::string_view from_key, std::string_view to_key) override;
  Result<void> UpdateFileClass(Fid fid, ClassId classid) override;
  Result<void> UpdateDevcount(Fid fid) override;
  Result<void> SetDevcount(Fid fid, int devcount) override;
  Result<std::vector<std::string>> ListKeys(const ListKeysQuery& query) override;
  Result<std::vector<FileRow>> ListFids(Fid after_fid, int limit) override;
  Result<Fid> MaxFid() override;
  Result<std::vector<Fid>> FidsBetween(Fid after_fid, Fid upto_fid, int limit) override;

  Result<std::vector<DevId>> GetFileOn(Fid fid) override;
  Result<void> AddFileOn(Fid fid, DevId devid) override;
  Result<void> RemoveFileOn(Fid fid, DevId devid) override;
  Result<std::vector<Fid>> FidsOnDevice(DevId devid, Fid cursor, int limit,
                                        bool descending) override;

  Result<std::optional<ChecksumRow>> GetChecksum(Fid fid) override;
  Result<void> SetChecksum(const ChecksumRow& row) override;
  Result<void> DeleteChecksum(Fid fid) override;

  Result<void> EnqueueReplicate(Fid fid, std::optional<DevId> fromdevid, NextTry nexttry) override;
  Result<std::vector<ReplicateQueueRow>> ClaimReplicate(
      int limit, int lease_seconds = kUpstreamClaimLeaseSeconds) override;
  Result<std::optional<ReplicateQueueRow>> GetReplicateQueueRow(Fid fid) override;
  Result<void> RescheduleReplicate(Fid fid, NextTry nexttry, bool bump_failcount) override;
  Result<void> DequeueReplicate(Fid fid) override;
  Result<uint64_t> ReplicateNow() override;
  Result<uint64_t> CountDeferredReplicate() override;

  Result<void> EnqueueDelete(Fid fid, NextTry nexttry) override;
  Result<std::vector<DeleteQueueRow>> ClaimDelete(
      int limit, int lease_seconds = kUpstreamClaimLeaseSeconds) override;
  Result<std::optional<DeleteQueueRow>> GetDeleteQueueRow(Fid fid) override;
  Result<void> RescheduleDelete(Fid fid, NextTry nexttry, bool bump_failcount) override;
  Result<void> DequeueDelete(Fid fid) override;
  Result<std::vector<Fid>> LegacyDeleteFids(int limit) override;
  Result<void> RemoveLegacyDelete(Fid fid) override;

  Result<void> EnqueueQueueRows(const std::vector<QueueRow>& rows) override;
  Result<std::vector<QueueRow>> ClaimQueue(
      int type, int limit, int lease_seconds = kUpstreamClaimLeaseSeconds) override;
  Result<std::vector<QueueRow>> GetQueueRows(Fid fid) override;
  Result<void> RescheduleQueue(Fid fid, int type, NextTry nexttry, bool bump_failcount) override;
  Result<void> DequeueQueueRow(Fid fid, int type) override;
  Result<void> DequeueAllWork(Fid fid) override;
  Result<uint64_t> CountQueue(int type) override;

  Result<std::optional<std::string>> GetServerSetting(std::string_view key) override;
  Result<std::map<std::string, std::string>> GetServerSettings() override;
  Result<void> SetServerSetting(std::string_view key, std::string_view value) override;
  Result<void> DeleteServerSetting(std::string_view key) override;
  Result<void> DeleteServerSettingsWithPrefix(std::string_view prefix) override;
  Result<int64_t> IncrServerSetting(std::string_view key, int64_t by) override;

  Result<void> AddFsckLog(std::optional<Fid> fid, std::string_view evcode,
                          std::optional<DevId> devid) override;
  Result<std::vector<FsckLogRow>> FsckLogRows(uint64_t after_logid, int limit) override;
  Result<std::map<std::string, uint64_t>> FsckLogCounts(uint64_t after_logid,
                                                        uint64_t upto_logid) override;
  Result<uint64_t> MaxFsckLogid() override;
  Result<void> ClearFsckLog() override;

  Result<bool> GetLock(std::string_view name, int timeout_seconds) override;
  Result<void> ReleaseLock(std::string_view name) override;

 private:
  MySqlStore(MySqlConnectParams params, std::unique_ptr<MySqlConnection> conn)
      : params_(std::move(params)), conn_(std::move(conn)) {}

  // The live connection, reconnecting if it was lost.
  Result<MySqlConnection*> Conn();
  // Runs `fn(conn)`; on a lost connection drops it and, for reads, retries once.
  template <typename Fn>
  auto Read(Fn&& fn) -> decltype(fn(std::declval<MySqlConnection&>()));
  template <typename Fn>
  auto Write(Fn&& fn) -> decltype(fn(std::declval<MySqlConnection&>()));
  // Runs `fn(conn)` inside START TRANSACTION ... COMMIT (rollback on error).
  template <typename Fn>
  auto Transaction(Fn&& fn) -> decltype(fn(std::declval<MySqlConnection&>()));

  // The queue tables' shared writes: re-date (optionally counting a failure) / drop the row
  // matched by `where` (placeholders bound to `keys`).
  Result<void> RescheduleQueueRow(std::string_view table, std::string_view where, SqlParams keys,
                                  NextTry nexttry, bool bump_failcount);
  Result<void> DropQueueRow(std::string_view table, std::string_view where,
                              const SqlParams& keys);

  Result<std::vector<SqlRow>> ClaimRows(std::string_view lock_name, std::string_view select_sql,
                                        const SqlParams& select_params,
                                        std::string_view claim_table, int lease_seconds);

  MySqlConnectParams params_;
  std::unique_ptr<MySqlConnection> conn_;
};

}  // namespace mog::tracker
