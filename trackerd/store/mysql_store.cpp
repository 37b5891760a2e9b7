#include "trackerd/store/mysql_store.h"

#include <algorithm>
#include <charconv>

#include "common/log/logging.h"
#include "trackerd/store/dsn.h"

namespace mog::tracker {
namespace {

// Batched statements use a fixed number of placeholders (padding with a repeat of the last
// value) so that one prepared statement serves every batch size.
constexpr size_t kInBatch = 50;
constexpr int kMaxIdRetries = 5;  // MAX(id)+1 races with another tracker
constexpr unsigned kDeadlockErrno = 1213;

uint64_t U64(const std::optional<std::string>& v) {
  if (!v) return 0;
  uint64_t out = 0;
  std::from_chars(v->data(), v->data() + v->size(), out);
  return out;
}
int64_t I64(const std::optional<std::string>& v) {
  if (!v) return 0;
  int64_t out = 0;
  std::from_chars(v->data(), v->data() + v->size(), out);
  return out;
}
template <typename T>
std::optional<T> Opt(const std::optional<std::string>& v) {
  if (!v) return std::nullopt;
  return static_cast<T>(std::is_signed_v<T> ? static_cast<T>(I64(v)) : static_cast<T>(U64(v)));
}
std::string Str(const std::optional<std::string>& v) { return v ? *v : std::string(); }
std::string S(std::string_view v) { return std::string(v); }

// NextTry as SQL: "?" (absolute) or "UNIX_TIMESTAMP() + ?".
std::string NextTrySql(const NextTry& n) { return n.from_now ? "UNIX_TIMESTAMP() + ?" : "?"; }

std::string InList() {
  std::string s = "(";
  for (size_t i = 0; i < kInBatch; ++i) s += i ? ",?" : "?";
  return s + ")";
}

// Splits ids into padded batches of kInBatch parameters.
std::vector<SqlParams> InBatches(const std::vector<uint64_t>& ids) {
  std::vector<SqlParams> batches;
  for (size_t start = 0; start < ids.size(); start += kInBatch) {
    SqlParams p;
    for (size_t i = 0; i < kInBatch; ++i) {
      size_t idx = std::min(start + i, ids.size() - 1);
      p.emplace_back(ids[idx]);
    }
    batches.push_back(std::move(p));
  }
  return batches;
}

bool IsPrimaryKeyDup(const Error& e) {
  return e.code() == Errc::kDup && e.message().find("PRIMARY") != std::string::npos;
}

FileRow ToFileRow(const SqlRow& r) {
  FileRow f;
  f.fid = U64(r[0]);
  f.dmid = static_cast<DmId>(U64(r[1]));
  f.dkey = Str(r[2]);
  f.length = U64(r[3]);
  f.classid = static_cast<ClassId>(U64(r[4]));
  f.devcount = static_cast<int>(U64(r[5]));
  return f;
}
constexpr const char* kFileCols = "SELECT fid, dmid, dkey, length, classid, devcount FROM file";

TempfileRow ToTempfileRow(const SqlRow& r) {
  TempfileRow t;
  t.fid = U64(r[0]);
  t.createtime = I64(r[1]);
  t.classid = static_cast<ClassId>(U64(r[2]));
  t.dmid = static_cast<DmId>(U64(r[3]));
  t.dkey = Str(r[4]);
  t.devids = Str(r[5]);
  return t;
}
constexpr const char* kTempfileCols =
    "SELECT fid, createtime, classid, dmid, dkey, devids FROM tempfile";

ClassRow ToClassRow(const SqlRow& r) {
  ClassRow c;
  c.dmid = static_cast<DmId>(U64(r[0]));
  c.classid = static_cast<ClassId>(U64(r[1]));
  c.name = Str(r[2]);
  c.mindevcount = static_cast<int>(U64(r[3]));
  c.hashtype = static_cast<int>(U64(r[4]));
  c.replpolicy = Str(r[5]);
  return c;
}
constexpr const char* kClassCols =
    "SELECT dmid, classid, classname, mindevcount, hashtype, replpolicy FROM class";

HostRow ToHostRow(const SqlRow& r) {
  HostRow h;
  h.hostid = static_cast<HostId>(U64(r[0]));
  h.status = Str(r[1]);
  h.http_port = Opt<uint32_t>(r[2]);
  h.http_get_port = Opt<uint32_t>(r[3]);
  h.hostname = Str(r[4]);
  h.hostip = Str(r[5]);
  h.altip = Str(r[6]);
  h.altmask = Str(r[7]);
  return h;
}
constexpr const char* kHostCols =
    "SELECT hostid, status, http_port, http_get_port, hostname, hostip, altip, altmask "
    "FROM host";

DeviceRow ToDeviceRow(const SqlRow& r) {
  DeviceRow d;
  d.devid = static_cast<DevId>(U64(r[0]));
  d.hostid = static_cast<HostId>(U64(r[1]));
  d.status = Str(r[2]);
  d.weight = Opt<int>(r[3]);
  d.mb_total = Opt<uint64_t>(r[4]);
  d.mb_used = Opt<uint64_t>(r[5]);
  d.mb_asof = Opt<int64_t>(r[6]);
  return d;
}
constexpr const char* kDeviceCols =
    "SELECT devid, hostid, status, weight, mb_total, mb_used, mb_asof FROM device";

ReplicateQueueRow ToReplicateRow(const SqlRow& r) {
  ReplicateQueueRow q;
  q.fid = U64(r[0]);
  q.nexttry = I64(r[1]);
  q.fromdevid = Opt<DevId>(r[2]);
  q.failcount = static_cast<int>(U64(r[3]));
  q.flags = static_cast<int>(U64(r[4]));
  return q;
}
DeleteQueueRow ToDeleteRow(const SqlRow& r) {
  DeleteQueueRow q;
  q.fid = U64(r[0]);
  q.nexttry = I64(r[1]);
  q.failcount = static_cast<int>(U64(r[2]));
  return q;
}
QueueRow ToQueueRow(const SqlRow& r) {
  QueueRow q;
  q.fid = U64(r[0]);
  q.devid = Opt<DevId>(r[1]);
  q.type = static_cast<int>(U64(r[2]));
  q.nexttry = I64(r[3]);
  q.failcount = static_cast<int>(U64(r[4]));
  q.flags = static_cast<int>(U64(r[5]));
  q.arg = r[6];
  return q;
}

template <typename Row, typename Conv>
Result<std::vector<Row>> Map(Result<std::vector<SqlRow>> rows, Conv conv) {
  if (!rows) return rows.error();
  std::vector<Row> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(conv(r));
  return out;
}

template <typename Row, typename Conv>
Result<std::optional<Row>> First(Result<std::vector<SqlRow>> rows, Conv conv) {
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Row>();
  return std::optional<Row>(conv(rows->front()));
}

Result<bool> Any(Result<std::vector<SqlRow>> rows) {
  if (!rows) return rows.error();
  return !rows->empty();
}

Result<void> Done(Result<uint64_t> r) {
  if (!r) return r.error();
  return {};
}

// An integer column value from update text: "" -> NULL.
Result<SqlValue> IntColumn(const std::string& text, const char* column) {
  if (text.empty()) return SqlValue(nullptr);
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Error(Errc::kFailure, std::string("Invalid ") + column + " '" + text + "'");
  }
  return SqlValue(v);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Connection handling

Result<MySqlConnectParams> MySqlStore::ParamsFromOptions(const StoreOptions& options) {
  auto dsn = ParseDsn(options.dsn);
  if (!dsn) return dsn.error();
  if (dsn->driver != "mysql" && dsn->driver != "mariadb") {
    return Error(Errc::kFailure, "Unsupported database driver '" + dsn->driver + "' in DSN '" +
                                     options.dsn + "' (only DBI:mysql:)");
  }
  MySqlConnectParams p;
  p.host = dsn->host;
  p.port = dsn->port.value_or(0);
  p.socket = dsn->socket;
  p.database = dsn->database;
  // As under DBD::mysql, user/password and the mysql_*_timeout attributes of the DSN win.
  p.user = dsn->user.value_or(options.user);
  p.pass = dsn->password.value_or(options.pass);
  p.connect_timeout_seconds =
      static_cast<int>(dsn->connect_timeout.value_or(options.connect_timeout_seconds));
  p.read_write_timeout_seconds =
      static_cast<int>(dsn->read_timeout.value_or(options.read_write_timeout_seconds));
  if (dsn->write_timeout) p.write_timeout_seconds = static_cast<int>(*dsn->write_timeout);
  return p;
}

Result<std::unique_ptr<MySqlStore>> MySqlStore::Open(const MySqlConnectParams& params) {
  auto conn = MySqlConnection::Connect(params);
  if (!conn) return conn.error();
  return std::unique_ptr<MySqlStore>(new MySqlStore(params, std::move(*conn)));
}

Result<MySqlConnection*> MySqlStore::Conn() {
  if (conn_ && !conn_->lost()) return conn_.get();
  if (conn_) Logger("store")->warn("MySQL connection lost; reconnecting");
  conn_.reset();
  auto conn = MySqlConnection::Connect(params_);
  if (!conn) return conn.error();
  conn_ = std::move(*conn);
  return conn_.get();
}

template <typename Fn>
auto MySqlStore::Read(Fn&& fn) -> decltype(fn(std::declval<MySqlConnection&>())) {
  for (int attempt = 0;; ++attempt) {
    auto conn = Conn();
    if (!conn) return conn.error();
    auto result = fn(**conn);
    if (result || !(*conn)->lost() || attempt > 0) return result;
    // Lost mid-read: one retry on a fresh connection (reads are idempotent).
  }
}

template <typename Fn>
auto MySqlStore::Write(Fn&& fn) -> decltype(fn(std::declval<MySqlConnection&>())) {
  for (int attempt = 0;; ++attempt) {
    auto conn = Conn();
    if (!conn) return conn.error();
    // A lost connection is not retried: the write may or may not have been applied.
    auto result = fn(**conn);
    // On a deadlock InnoDB has rolled the statement back, so running it again is safe;
    // upstream's Store retries queue writes 3 times the same way (retry_on_deadlock).
    if (result || (*conn)->last_errno() != kDeadlockErrno || attempt >= 2) return result;
    Logger("store")->debug("deadlock; retrying write (attempt {})", attempt + 2);
  }
}

template <typename Fn>
auto MySqlStore::Transaction(Fn&& fn) -> decltype(fn(std::declval<MySqlConnection&>())) {
  for (int attempt = 0;; ++attempt) {
    auto conn = Conn();
    if (!conn) return conn.error();
    MySqlConnection& c = **conn;
    bool deadlock = false;
    auto result = [&]() -> decltype(fn(c)) {
      if (auto begun = c.Begin(); !begun) return begun.error();
      auto inner = fn(c);
      if (!inner) {
        deadlock = c.last_errno() == kDeadlockErrno;
        c.Rollback();
        return inner;
      }
      if (auto committed = c.Commit(); !committed) {
        deadlock = c.last_errno() == kDeadlockErrno;
        c.Rollback();
        return committed.error();
      }
      return inner;
    }();
    // A deadlock rolls back the whole transaction, so it can be replayed from the start.
    if (result || !deadlock || attempt >= 2) return result;
    Logger("store")->debug("deadlock; retrying transaction (attempt {})", attempt + 2);
  }
}

// ---------------------------------------------------------------------------------------------
// Health

Result<void> MySqlStore::Ping() {
  return Read([](MySqlConnection& c) -> Result<void> {
    auto rows = c.Query("SELECT 1");
    if (!rows) return rows.error();
    return {};
  });
}

Result<int64_t> MySqlStore::DbNow() {
  return Read([](MySqlConnection& c) -> Result<int64_t> {
    auto rows = c.Query("SELECT UNIX_TIMESTAMP()");
    if (!rows) return rows.error();
    if (rows->empty()) return Error(Errc::kDb, "UNIX_TIMESTAMP() returned no row");
    return I64(rows->front()[0]);
  });
}

// ---------------------------------------------------------------------------------------------
// Domains

Result<std::vector<DomainRow>> MySqlStore::GetAllDomains() {
  return Read([](MySqlConnection& c) {
    return Map<DomainRow>(c.Query("SELECT dmid, namespace FROM domain"), [](const SqlRow& r) {
      return DomainRow{static_cast<DmId>(U64(r[0])), Str(r[1])};
    });
  });
}

Result<std::optional<DomainRow>> MySqlStore::FindDomain(std::string_view name) {
  return Read([&](MySqlConnection& c) {
    return First<DomainRow>(
        c.Query("SELECT dmid, namespace FROM domain WHERE namespace = ?", {S(name)}),
        [](const SqlRow& r) {
          return DomainRow{static_cast<DmId>(U64(r[0])), Str(r[1])};
        });
  });
}

Result<DmId> MySqlStore::CreateDomain(std::string_view name) {
  return Write([&](MySqlConnection& c) -> Result<DmId> {
    for (int attempt = 0;; ++attempt) {
      auto max = c.Query("SELECT MAX(dmid) FROM domain");
      if (!max) return max.error();
      DmId dmid = static_cast<DmId>(U64(max->front()[0]) + 1);
      auto ins =
          c.Exec("INSERT INTO domain (dmid, namespace) VALUES (?, ?)", {uint64_t{dmid}, S(name)});
      if (ins) return dmid;
      // Another tracker took the same id at the same moment: pick the next one.
      if (!IsPrimaryKeyDup(ins.error()) || attempt >= kMaxIdRetries) return ins.error();
    }
  });
}

Result<void> MySqlStore::DeleteDomain(DmId dmid) {
  return Transaction([&](MySqlConnection& c) -> Result<void> {
    if (auto r = c.Exec("DELETE FROM class WHERE dmid = ?", {uint64_t{dmid}}); !r) {
      return r.error();
    }
    return Done(c.Exec("DELETE FROM domain WHERE dmid = ?", {uint64_t{dmid}}));
  });
}

Result<bool> MySqlStore::DomainHasFiles(DmId dmid) {
  return Read([&](MySqlConnection& c) {
    return Any(c.Query("SELECT fid FROM file WHERE dmid = ? LIMIT 1", {uint64_t{dmid}}));
  });
}

Result<bool> MySqlStore::DomainHasClasses(DmId dmid) {
  return Read([&](MySqlConnection& c) {
    return Any(c.Query("SELECT classid FROM class WHERE dmid = ? AND classid != 0 LIMIT 1",
                       {uint64_t{dmid}}));
  });
}

// ---------------------------------------------------------------------------------------------
// Classes

Result<std::vector<ClassRow>> MySqlStore::GetAllClasses() {
  return Read([](MySqlConnection& c) { return Map<ClassRow>(c.Query(kClassCols), ToClassRow); });
}

Result<std::optional<ClassRow>> MySqlStore::FindClass(DmId dmid, std::string_view name) {
  return Read([&](MySqlConnection& c) {
    return First<ClassRow>(c.Query(std::string(kClassCols) + " WHERE dmid = ? AND classname = ?",
                                   {uint64_t{dmid}, S(name)}),
                           ToClassRow);
  });
}

Result<ClassId> MySqlStore::CreateClass(DmId dmid, std::string_view name,
                                        const ClassUpdate& update) {
  auto created = Write([&](MySqlConnection& c) -> Result<ClassId> {
    for (int attempt = 0;; ++attempt) {
      ClassId classid = 0;
      if (name != "default") {
        auto max = c.Query("SELECT MAX(classid) FROM class WHERE dmid = ?", {uint64_t{dmid}});
        if (!max) return max.error();
        classid = static_cast<ClassId>(U64(max->front()[0]) + 1);
      }
      auto ins =
          c.Exec("INSERT INTO class (dmid, classid, classname, mindevcount) VALUES (?, ?, ?, 2)",
                 {uint64_t{dmid}, uint64_t{classid}, S(name)});
      if (ins) return classid;
      if (classid == 0 || !IsPrimaryKeyDup(ins.error()) || attempt >= kMaxIdRetries) {
        return ins.error();
      }
    }
  });
  if (!created) return created.error();
  if (auto up = UpdateClass(dmid, *created, update); !up) return up.error();
  return *created;
}

Result<void> MySqlStore::UpdateClass(DmId dmid, ClassId classid, const ClassUpdate& update) {
  std::string sets;
  SqlParams params;
  auto add = [&](const char* column, SqlValue value) {
    sets += sets.empty() ? "" : ", ";
    sets += std::string(column) + " = ?";
    params.push_back(std::move(value));
  };
  if (update.name) add("classname", *update.name);
  if (update.mindevcount) add("mindevcount", int64_t{*update.mindevcount});
  if (update.replpolicy) {
    add("replpolicy",
        update.replpolicy->empty() ? SqlValue(nullptr) : SqlValue(*update.replpolicy));
  }
  if (update.hashtype) {
    add("hashtype",
        *update.hashtype == kHashNone ? SqlValue(nullptr) : SqlValue(int64_t{*update.hashtype}));
  }
  if (sets.empty()) return {};
  params.emplace_back(uint64_t{dmid});
  params.emplace_back(uint64_t{classid});
  return Write([&](MySqlConnection& c) {
    return Done(c.Exec("UPDATE class SET " + sets + " WHERE dmid = ? AND classid = ?", params));
  });
}

Result<void> MySqlStore::DeleteClass(DmId dmid, ClassId classid) {
  return Write([&](MySqlConnection& c) {
    return Done(c.Exec("DELETE FROM class WHERE dmid = ? AND classid = ?",
                       {uint64_t{dmid}, uint64_t{classid}}));
  });
}

Result<bool> MySqlStore::ClassHasFiles(DmId dmid, ClassId classid) {
  return Read([&](MySqlConnection& c) {
    return Any(c.Query("SELECT fid FROM file WHERE dmid = ? AND classid = ? LIMIT 1",
                       {uint64_t{dmid}, uint64_t{classid}}));
  });
}

// ---------------------------------------------------------------------------------------------
// Hosts

Result<std::vector<HostRow>> MySqlStore::GetAllHosts() {
  return Read([](MySqlConnection& c) { return Map<HostRow>(c.Query(kHostCols), ToHostRow); });
}

Result<std::optional<HostRow>> MySqlStore::FindHost(std::string_view hostname) {
  return Read([&](MySqlConnection& c) {
    return First<HostRow>(c.Query(std::string(kHostCols) + " WHERE hostname = ?", {S(hostname)}),
                          ToHostRow);
  });
}

Result<HostId> MySqlStore::CreateHost(std::string_view hostname, std::string_view hostip,
                                      const HostUpdate& update) {
  auto created = Write([&](MySqlConnection& c) -> Result<HostId> {
    for (int attempt = 0;; ++attempt) {
      auto max = c.Query("SELECT MAX(hostid) FROM host");
      if (!max) return max.error();
      HostId hostid = static_cast<HostId>(U64(max->front()[0]) + 1);
      auto ins =
          c.Exec("INSERT INTO host (hostid, hostname, hostip, status) VALUES (?, ?, ?, 'down')",
                 {uint64_t{hostid}, S(hostname), S(hostip)});
      if (ins) return hostid;
      if (!IsPrimaryKeyDup(ins.error()) || attempt >= kMaxIdRetries) return ins.error();
    }
  });
  if (!created) return created.error();
  if (auto up = UpdateHost(*created, update); !up) return up.error();
  return *created;
}

Result<void> MySqlStore::UpdateHost(HostId hostid, const HostUpdate& update) {
  std::string sets;
  SqlParams params;
  auto add = [&](const char* column, SqlValue value) {
    sets += sets.empty() ? "" : ", ";
    sets += std::string(column) + " = ?";
    params.push_back(std::move(value));
  };
  auto text_or_null = [](const std::string& v) {
    return v.empty() ? SqlValue(nullptr) : SqlValue(v);
  };
  if (update.hostname) add("hostname", *update.hostname);
  if (update.hostip) add("hostip", *update.hostip);
  if (update.http_port) {
    auto v = IntColumn(*update.http_port, "http_port");
    if (!v) return v.error();
    add("http_port", *v);
  }
  if (update.http_get_port) {
    auto v = IntColumn(*update.http_get_port, "http_get_port");
    if (!v) return v.error();
    add("http_get_port", *v);
  }
  if (update.altip) add("altip", text_or_null(*update.altip));
  if (update.altmask) add("altmask", text_or_null(*update.altmask));
  if (update.status) add("status", *update.status);
  if (sets.empty()) return {};
  params.emplace_back(uint64_t{hostid});
  return Write([&](MySqlConnection& c) {
    return Done(c.Exec("UPDATE host SET " + sets + " WHERE hostid = ?", params));
  });
}

Result<void> MySqlStore::DeleteHost(HostId hostid) {
  return Write([&](MySqlConnection& c) {
    return Done(c.Exec("DELETE FROM host WHERE hostid = ?", {uint64_t{hostid}}));
  });
}

Result<bool> MySqlStore::HostHasDevices(HostId hostid) {
  return Read([&](MySqlConnection& c) {
    return Any(c.Query("SELECT devid FROM device WHERE hostid = ? LIMIT 1", {uint64_t{hostid}}));
  });
}

// ---------------------------------------------------------------------------------------------
// Devices

Result<std::vector<DeviceRow>> MySqlStore::GetAllDevices() {
  return Read([](MySqlConnection& c) { return Map<DeviceRow>(c.Query(kDeviceCols), ToDeviceRow); });
}

Result<std::optional<DeviceRow>> MySqlStore::GetDevice(DevId devid) {
  return Read([&](MySqlConnection& c) {
    return First<DeviceRow>(
        c.Query(std::string(kDeviceCols) + " WHERE devid = ?", {uint64_t{devid}}), ToDeviceRow);
  });
}

Result<void> MySqlStore::CreateDevice(DevId devid, HostId hostid, std::string_view status) {
  return Write([&](MySqlConnection& c) {
    return Done(c.Exec("INSERT INTO device (devid, hostid, status) VALUES (?, ?, ?)",
                       {uint64_t{devid}, uint64_t{hostid}, S(status)}));
  });
}

Result<void> MySqlStore::UpdateDevice(DevId devid, const DeviceUpdate& update) {
  std::string sets;
  SqlParams params;
  if (update.status) {
    sets += "status = ?";
    params.emplace_back(*update.status);
  }
  if (update.weight) {
    sets += sets.empty() ? "weight = ?" : ", weight = ?";
    params.emplace_back(int64_t{*update.weight});
  }
  if (sets.empty()) return {};
  params.emplace_back(uint64_t{devid});
  return Write([&](MySqlConnection& c) {
    return Done(c.Exec("UPDATE device SET " + sets + " WHERE devid = ?", params));
  });
}

Result<void> MySqlStore::UpdateDeviceUsages(const std::vector<DeviceUsage>& usages) {
  if (usages.empty()) return {};
  return Transaction([&](MySqlConnection& c) -> Result<void> {
    for (const auto& u : usages) {
      auto r = c.Exec("UPDATE device SET mb_total = ?, mb_used = ?, mb_asof = ? WHERE devid = ?",
                      {u.mb_total, u.mb_used, int64_t{u.mb_asof}, uint64_t{u.devid}});
      if (!r) return r.error();
    }
    return {};
  });
}

// ---------------------------------------------------------------------------------------------
// Tempfiles and fid allocation

Result<Fid> MySqlStore::RegisterTempfile(const NewTempfile& row, Fid min_fidid) {
  return Write([&](MySqlConnection& c) -> Result<Fid> {
    SqlValue devids = row.devids.empty() ? SqlValue(nullptr) : SqlValue(row.devids);
    auto insert = [&](std::optional<Fid> fid) -> Result<Fid> {
      Result<uint64_t> r =
          fid ? c.Exec(
                    "INSERT INTO tempfile (fid, dmid, dkey, classid, devids, createtime) "
                    "VALUES (?, ?, ?, ?, ?, UNIX_TIMESTAMP())",
                    {uint64_t{*fid}, uint64_t{row.dmid}, row.dkey, uint64_t{row.classid}, devids})
              : c.Exec(
                    "INSERT INTO tempfile (dmid, dkey, classid, devids, createtime) "
                    "VALUES (?, ?, ?, ?, UNIX_TIMESTAMP())",
                    {uint64_t{row.dmid}, row.dkey, uint64_t{row.classid}, devids});
      if (!r) return r.error();
      return fid ? *fid : static_cast<Fid>(c.last_insert_id());
    };
    auto in_file = [&](Fid fid) -> Result<bool> {
      return Any(c.Query("SELECT fid FROM file WHERE fid = ?", {uint64_t{fid}}));
    };

    auto fid = insert(row.explicit_fid);
    if (!fid) {
      if (row.explicit_fid && fid.error().code() == Errc::kDup) {
        return Error(Errc::kFidInUse, "fid " + std::to_string(*row.explicit_fid) + " in use");
      }
      return fid.error();
    }
    // Bounded: each round re-seeds AUTO_INCREMENT above MAX(file.fid).
    for (int round = 0; round < 10; ++round) {
      auto used = in_file(*fid);
      if (!used) return used.error();
      if (!*used && *fid > min_fidid) return *fid;
      if (row.explicit_fid) {
        // The tempfile row stays, as upstream's; the Delete worker collects it.
        return Error(Errc::kFidInUse, "fid " + std::to_string(*fid) + " in use");
      }
      auto max = c.Query("SELECT MAX(fid) FROM file");
      if (!max) return max.error();
      Fid seed = std::max<Fid>(U64(max->front()[0]), min_fidid);
      (void)insert(seed);  // a duplicate here is fine: it only raises AUTO_INCREMENT
      fid = insert(std::nullopt);
      if (!fid) return fid.error();
    }
    return Error(Errc::kDb, "could not allocate a free fid");
  });
}

Result<std::optional<TempfileRow>> MySqlStore::GetTempfile(Fid fid) {
  return Read([&](MySqlConnection& c) {
    return First<TempfileRow>(
        c.Query(std::string(kTempfileCols) + " WHERE fid = ?", {uint64_t{fid}}), ToTempfileRow);
  });
}

Result<std::optional<TempfileRow>> MySqlStore::TakeTempfile(Fid fid) {
  return Transaction([&](MySqlConnection& c) -> Result<std::optional<TempfileRow>> {
    auto row = First<TempfileRow>(
        c.Query(std::string(kTempfileCols) + " WHERE fid = ? FOR UPDATE", {uint64_t{fid}}),
        ToTempfileRow);
    if (!row) return row.error();
    if (!*row) return row;
    auto deleted = c.Exec("DELETE FROM tempfile WHERE fid = ?", {uint64_t{fid}});
    if (!deleted) return deleted.error();
    // Only the caller whose DELETE removed the row owns the close.
    if (*deleted == 0) return std::optional<TempfileRow>();
    return row;
  });
}

Result<std::vector<TempfileRow>> MySqlStore::OldTempfiles(int64_t age_seconds, int limit) {
  return Read([&](MySqlConnection& c) {
    return Map<TempfileRow>(
        c.Query(std::string(kTempfileCols) +
                    " WHERE createtime < UNIX_TIMESTAMP() - ? ORDER BY fid LIMIT ?",
                {int64_t{age_seconds}, int64_t{limit}}),
        ToTempfileRow);
  });
}

Result<void> MySqlStore::DeleteTempfile(Fid fid) {
  return Write([&](MySqlConnection& c) {
    return Done(c.Exec("DELETE FROM tempfile WHERE fid = ?", {uint64_t{fid}}));
  });
}

// ---------------------------------------------------------------------------------------------
// Files

Result<std::optional<FileRow>> MySqlStore::FileByKey(DmId dmid, std::string_view dkey) {
  return Read([&](MySqlConnection& c) {
    return First<FileRow>(
        c.Query(std::string(kFileCols) + " WHERE dmid = ? AND dkey = ?", {uint64_t{dmid}, S(dkey)}),
        ToFileRow);
  });
}

Result<std::optional<FileWithDevids>> MySqlStore::FileWithDevidsByKey(DmId dmid,
                                                                      std::string_view dkey) {
  // One round trip for get_paths: a row per copy (devid NULL when there is none).
  return Read([&](MySqlConnection& c) -> Result<std::optional<FileWithDevids>> {
    auto rows = c.Query(
        "SELECT f.fid, f.dmid, f.dkey, f.length, f.classid, f.devcount, o.devid "
        "FROM file f LEFT JOIN file_on o ON o.fid = f.fid "
        "WHERE f.dmid = ? AND f.dkey = ? ORDER BY o.devid",
        {uint64_t{dmid}, S(dkey)});
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<FileWithDevids>();
    FileWithDevids out;
    out.file = ToFileRow(rows->front());
    for (const SqlRow& r : *rows) {
      if (r[6]) out.devids.push_back(static_cast<DevId>(U64(r[6])));
    }
    return out;
  });
}

Result<std::optional<FileRow>> MySqlStore::FileByFid(Fid fid) {
  return Read([&](MySqlConnection& c) {
    return First<FileRow>(c.Query(std::string(kFileCols) + " WHERE fid = ?", {uint64_t{fid}}),
                          ToFileRow);
  });
}

Result<std::vector<FileRow>> MySqlStore::FilesByFids(const std::vector<Fid>& fids) {
  std::vector<FileRow> out;
  if (fids.empty()) return out;
  std::vector<uint64_t> ids(fids.begin(), fids.end());
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  for (const SqlParams& batch : InBatches(ids)) {
    auto rows = Read([&](MySqlConnection& c) {
      return Map<FileRow>(c.Query(std::string(kFileCols) + " WHERE fid IN " + InList(), batch),
                          ToFileRow);
    });
    if (!rows) return rows.error();
    out.insert(out.end(), rows->begin(), rows->end());
  }
  return out;
}

namespace {

// The rows a verified upload adds (inside the caller's transaction).
Result<void> WriteClosedFile(MySqlConnection& c, const CloseFile& close) {
  const FileRow& f = close.file;
  if (auto r = c.Exec("INSERT IGNORE INTO file_on (fid, devid) VALUES (?, ?)",
                      {uint64_t{f.fid}, uint64_t{close.devid}});
      !r) {
    return r.error();
  }
  if (close.checksum) {
    if (auto r = c.Exec("REPLACE INTO checksum (fid, hashtype, checksum) VALUES (?, ?, ?)",
                        {uint64_t{f.fid}, int64_t{close.checksum->hashtype},
                         SqlBlob{close.checksum->checksum}});
        !r) {
      return r.error();
    }
  }
  if (auto r = c.Exec(
          "REPLACE INTO file (fid, dmid, dkey, length, classid, devcount) "
          "VALUES (?, ?, ?, ?, ?, 1)",
          {uint64_t{f.fid}, uint64_t{f.dmid}, f.dkey, uint64_t{f.length}, uint64_t{f.classid}});
      !r) {
    return r.error();
  }
  if (!close.enqueue_replication) return {};
  return Done(
      c.Exec("INSERT IGNORE INTO file_to_replicate (fid, fromdevid, nexttry) VALUES (?, NULL, 0)",
             {uint64_t{f.fid}}));
}

Result<void> DeleteFileAndEnqueueIn(MySqlConnection& c, Fid fid) {
  if (auto r = c.Exec("DELETE FROM file WHERE fid = ?", {uint64_t{fid}}); !r) return r.error();
  return Done(
      c.Exec("INSERT IGNORE INTO file_to_delete2 (fid, nexttry) VALUES (?, UNIX_TIMESTAMP())",
             {uint64_t{fid}}));
}

}  // namespace

Result<void> MySqlStore::CommitFile(const CloseFile& close) {
  return Transaction([&](MySqlConnection& c) { return WriteClosedFile(c, close); });
}

Result<CloseOutcome> MySqlStore::CloseUpload(const CloseFile& close) {
  const FileRow& f = close.file;
  // A "no" outcome; kFidExists rolls back so that the tempfile DELETE is not kept.
  std::optional<CloseOutcome> refused;
  auto done = Transaction([&](MySqlConnection& c) -> Result<void> {
    refused.reset();
    auto taken = c.Exec("DELETE FROM tempfile WHERE fid = ?", {uint64_t{f.fid}});
    if (!taken) return taken.error();
    if (*taken == 0) {
      refused = CloseOutcome::kNoTempfile;
      return {};  // nothing was changed: committing the empty transaction is harmless
    }
    // A plain (consistent) read, as upstream's: FOR UPDATE would take a gap lock on the
    // key's place in the (dmid, dkey) index, and concurrent closes of neighbouring new keys
    // (sequential names) would then deadlock on each other's inserts.
    auto old = c.Query("SELECT fid FROM file WHERE dmid = ? AND dkey = ?", {uint64_t{f.dmid}, f.dkey});
    if (!old) return old.error();
    if (!old->empty()) {
      const Fid old_fid = U64(old->front()[0]);
      if (old_fid == f.fid) {
        refused = CloseOutcome::kFidExists;
        return Error(Errc::kFidExists);  // rolls the tempfile DELETE back
      }
      if (auto r = DeleteFileAndEnqueueIn(c, old_fid); !r) return r.error();
    }
    return WriteClosedFile(c, close);
  });
  if (refused) return *refused;
  if (!done) return done.error();
  return CloseOutcome::kClosed;
}

Result<void> MySqlStore::DeleteFileAndEnqueue(Fid fid) {
  return Transaction([&](MySqlConnection& c) { return DeleteFileAndEnqueueIn(c, fid); });
}

Result<bool> MySqlStore::RenameFile(DmId dmid, std::string_view from_key, std::string_view to_key) {
  return Write([&](MySqlConnection& c) -> Result<bool> {
    auto r = c.Exec("UPDATE file SET dkey = ? WHERE dmid = ? AND dkey = ?",
                    {S(to_key), uint64_t{dmid}, S(from_key)});
    if (!r) return r.error();
    if (*r > 0) return true;
    // 0 rows changed: missing key, or renamed onto itself (same bytes); tell them apart.
    auto exists = Any(
        c.Query("SELECT fid FROM file WHERE dmid = ? AND dkey = ?", {uint64_t{dmid}, S(from_key)}));
    return exists;
  });
}

Result<void> MySqlStore::UpdateFileClass(Fid fid, ClassId classid) {
  return Write([&](MySqlConnection& c) {
    return Done(
        c.Exec("UPDATE file SET classid = ? WHERE fid = ?", {uint64_t{classid}, uint64_t{fid}}));
  });
}

Result<void> MySqlStore::UpdateDevcount(Fid fid) {
  return Write([&](MySqlConnection& c) {
    return Done(c.Exec(
        "UPDATE file SET devcount = (SELECT COUNT(*) FROM file_on WHERE fid = ?) WHERE fid = ?",
        {uint64_t{fid}, uint64_t{fid}}));
  });
}

Result<void> MySqlStore::SetDevcount(Fid fid, int devcount) {
  return Write([&](MySqlConnection& c) {
    return Done(
        c.Exec("UPDATE file SET devcount = ? WHERE fid = ?", {int64_t{devcount}, uint64_t{fid}}));
  });
}

Result<std::vector<std::string>> MySqlStore::ListKeys(const ListKeysQuery& query) {
  std::string pattern;
  for (char ch : query.prefix) {
    if (ch == '%' || ch == '_' || ch == '\\') pattern += '\\';
    pattern += ch;
  }
  pattern += '%';
  int limit = query.limit <= 0 ? 1000 : std::min(query.limit, 1000);
  const char* op = query.case_sensitive ? "LIKE BINARY" : "LIKE";
  std::string sql = std::string("SELECT dkey FROM file WHERE dmid = ? AND dkey ") + op +
                    " ? ESCAPE '\\\\' AND dkey > ? ORDER BY dkey LIMIT ?";
  return Read([&](MySqlConnection& c) {
    return Map<std::string>(
        c.Query(sql, {uint64_t{query.dmid}, pattern, query.after, int64_t{limit}}),
        [](const SqlRow& r) { return Str(r[0]); });
  });
}

Result<std::vector<FileRow>> MySqlStore::ListFids(Fid after_fid, int limit) {
  return Read([&](MySqlConnection& c) {
    return Map<FileRow>(c.Query(std::string(kFileCols) + " WHERE fid > ? ORDER BY fid LIMIT ?",
                                {uint64_t{after_fid}, int64_t{std::max(limit, 0)}}),
                        ToFileRow);
  });
}

Result<Fid> MySqlStore::MaxFid() {
  return Read([](MySqlConnection& c) -> Result<Fid> {
    auto rows = c.Query("SELECT MAX(fid) FROM file");
    if (!rows) return rows.error();
    return U64(rows->front()[0]);
  });
}

Result<std::vector<Fid>> MySqlStore::FidsBetween(Fid after_fid, Fid upto_fid, int limit) {
  return Read([&](MySqlConnection& c) {
    return Map<Fid>(c.Query("SELECT fid FROM file WHERE fid > ? AND fid <= ? ORDER BY fid "
                            "LIMIT ?",
                            {uint64_t{after_fid}, uint64_t{upto_fid}, int64_t{limit}}),
                    [](const SqlRow& r) { return U64(r[0]); });
  });
}

// ---------------------------------------------------------------------------------------------
// file_on

Result<std::vector<DevId>> MySqlStore::GetFileOn(Fid fid) {
  return Read([&](MySqlConnection& c) {
    return Map<DevId>(
        c.Query("SELECT devid FROM file_on WHERE fid = ? ORDER BY devid", {uint64_t{fid}}),
        [](const SqlRow& r) { return static_cast<DevId>(U64(r[0])); });
  });
}

Result<void> MySqlStore::AddFileOn(Fid fid, DevId devid) {
  return Write([&](MySqlConnection& c) {
    return Done(c.Exec("INSERT IGNORE INTO file_on (fid, devid) VALUES (?, ?)",
                       {uint64_t{fid}, uint64_t{devid}}));
  });
}

Result<void> MySqlStore::RemoveFileOn(Fid fid, DevId devid) {
  return Write([&](MySqlConnection& c) {
    return Done(c.Exec("DELETE FROM file_on WHERE fid = ? AND devid = ?",
                       {uint64_t{fid}, uint64_t{devid}}));
  });
}

Result<std::vector<Fid>> MySqlStore::FidsOnDevice(DevId devid, Fid cursor, int limit,
                                                  bool descending) {
  std::string sql =
      descending
          ? "SELECT fid FROM file_on WHERE devid = ? AND (? = 0 OR fid < ?) ORDER BY fid DESC "
            "LIMIT ?"
          : "SELECT fid FROM file_on WHERE devid = ? AND fid > ? ORDER BY fid LIMIT ?";
  SqlParams params =
      descending ? SqlParams{uint64_t{devid}, uint64_t{cursor}, uint64_t{cursor}, int64_t{limit}}
                 : SqlParams{uint64_t{devid}, uint64_t{cursor}, int64_t{limit}};
  return Read([&](MySqlConnection& c) {
    return Map<Fid>(c.Query(sql, params), [](const SqlRow& r) { return U64(r[0]); });
  });
}

// ---------------------------------------------------------------------------------------------
// Checksums

Result<std::optional<ChecksumRow>> MySqlStore::GetChecksum(Fid fid) {
  return Read([&](MySqlConnection& c) {
    return First<ChecksumRow>(
        c.Query("SELECT fid, hashtype, checksum FROM checksum WHERE fid = ?", {uint64_t{fid}}),
        [](const SqlRow& r) {
          return ChecksumRow{U64(r[0]), static_cast<int>(U64(r[1])), Str(r[2])};
        });
  });
}

Result<void> MySqlStore::SetChecksum(const ChecksumRow& row) {
  return Write([&](MySqlConnection& c) {
    return Done(c.Exec("REPLACE INTO checksum (fid, hashtype, checksum) VALUES (?, ?, ?)",
                       {uint64_t{row.fid}, int64_t{row.hashtype}, SqlBlob{row.checksum}}));
  });
}

Result<void> MySqlStore::DeleteChecksum(Fid fid) {
  return Write([&](MySqlConnection& c) {
    return Done(c.Exec("DELETE FROM checksum WHERE fid = ?", {uint64_t{fid}}));
  });
}

// ---------------------------------------------------------------------------------------------
// Queues

Result<std::vector<SqlRow>> MySqlStore::ClaimRows(std::string_view lock_name,
                                                  std::string_view select_sql,
                                                  const SqlParams& select_params,
                                                  std::string_view claim_table,
                                                  int lease_seconds) {
  // Serialise claims across trackers, as upstream (mfsd:<queue>, 30 s).
  auto locked = GetLock(lock_name, 30);
  if (!locked) return locked.error();
  if (!*locked) return std::vector<SqlRow>();
  auto claimed = Transaction([&](MySqlConnection& c) -> Result<std::vector<SqlRow>> {
    auto rows = c.Query(select_sql, select_params);
    if (!rows) return rows.error();
    std::vector<uint64_t> fids;
    for (const auto& r : *rows) fids.push_back(U64(r[0]));
    if (fids.empty()) return rows;
    std::string update = "UPDATE " + std::string(claim_table) +
                         " SET nexttry = UNIX_TIMESTAMP() + ? WHERE fid IN " + InList();
    for (const SqlParams& batch : InBatches(fids)) {
      SqlParams params{int64_t{std::max(lease_seconds, 1)}};
      params.insert(params.end(), batch.begin(), batch.end());
      if (auto r = c.Exec(update, params); !r) return r.error();
    }
    return rows;
  });
  (void)ReleaseLock(lock_name);
  if (!claimed && conn_ && conn_->last_errno() == kDeadlockErrno) {
    return std::vector<SqlRow>();  // lost a deadlock: try again next round
  }
  return claimed;
}

Result<void> MySqlStore::EnqueueReplicate(Fid fid, std::optional<DevId> fromdevid,
                                          NextTry nexttry) {
  return Write([&](MySqlConnection& c) {
    return Done(
        c.Exec("INSERT IGNORE INTO file_to_replicate (fid, fromdevid, nexttry) "
               "VALUES (?, ?, " +
                   NextTrySql(nexttry) + ")",
               {uint64_t{fid}, fromdevid ? SqlValue(uint64_t{*fromdevid}) : SqlValue(nullptr),
                int64_t{nexttry.seconds}}));
  });
}

Result<std::vector<ReplicateQueueRow>> MySqlStore::ClaimReplicate(int limit, int lease_seconds) {
  return Map<ReplicateQueueRow>(
      ClaimRows("mfsd:file_to_replicate",
                "SELECT fid, nexttry, fromdevid, failcount, flags FROM file_to_replicate "
                "WHERE nexttry <= UNIX_TIMESTAMP() ORDER BY nexttry LIMIT ? FOR UPDATE",
                {int64_t{limit}}, "file_to_replicate", lease_seconds),
      ToReplicateRow);
}

Result<std::optional<ReplicateQueueRow>> MySqlStore::GetReplicateQueueRow(Fid fid) {
  return Read([&](MySqlConnection& c) {
    return First<ReplicateQueueRow>(
        c.Query("SELECT fid, nexttry, fromdevid, failcount, flags FROM file_to_replicate "
                "WHERE fid = ?",
                {uint64_t{fid}}),
        ToReplicateRow);
  });
}

Result<void> MySqlStore::RescheduleQueueRow(std::string_view table, std::string_view where,
                                            SqlParams keys, NextTry nexttry, bool bump_failcount) {
  SqlParams params{int64_t{nexttry.seconds}};
  params.insert(params.end(), keys.begin(), keys.end());
  return Write([&](MySqlConnection& c) {
    return Done(c.Exec("UPDATE " + std::string(table) + " SET nexttry = " + NextTrySql(nexttry) +
                           (bump_failcount ? ", failcount = failcount + 1" : "") + " WHERE " +
                           std::string(where),
                       params));
  });
}

Result<void> MySqlStore::DropQueueRow(std::string_view table, std::string_view where,
                                        const SqlParams& keys) {
  return Write([&](MySqlConnection& c) {
    return Done(c.Exec("DELETE FROM " + std::string(table) + " WHERE " + std::string(where), keys));
  });
}

Result<void> MySqlStore::RescheduleReplicate(Fid fid, NextTry nexttry, bool bump_failcount) {
  return RescheduleQueueRow("file_to_replicate", "fid = ?", {uint64_t{fid}}, nexttry,
                            bump_failcount);
}

Result<void> MySqlStore::DequeueReplicate(Fid fid) {
  return DropQueueRow("file_to_replicate", "fid = ?", {uint64_t{fid}});
}

Result<uint64_t> MySqlStore::ReplicateNow() {
  return Write([](MySqlConnection& c) {
    return c.Exec(
        "UPDATE file_to_replicate SET nexttry = UNIX_TIMESTAMP() WHERE nexttry > "
        "UNIX_TIMESTAMP()");
  });
}

Result<uint64_t> MySqlStore::CountDeferredReplicate() {
  return Read([](MySqlConnection& c) -> Result<uint64_t> {
    auto rows = c.Query(
        "SELECT COUNT(*) FROM file_to_replicate WHERE nexttry != 0 AND "
        "nexttry < ?",
        {int64_t{kNextTryNever}});
    if (!rows) return rows.error();
    return U64(rows->front()[0]);
  });
}

Result<void> MySqlStore::EnqueueDelete(Fid fid, NextTry nexttry) {
  return Write([&](MySqlConnection& c) {
    return Done(c.Exec(
        "INSERT IGNORE INTO file_to_delete2 (fid, nexttry) VALUES (?, " + NextTrySql(nexttry) + ")",
        {uint64_t{fid}, int64_t{nexttry.seconds}}));
  });
}

Result<std::vector<DeleteQueueRow>> MySqlStore::ClaimDelete(int limit, int lease_seconds) {
  return Map<DeleteQueueRow>(
      ClaimRows("mfsd:file_to_delete2",
                "SELECT fid, nexttry, failcount FROM file_to_delete2 "
                "WHERE nexttry <= UNIX_TIMESTAMP() ORDER BY nexttry LIMIT ? FOR UPDATE",
                {int64_t{limit}}, "file_to_delete2", lease_seconds),
      ToDeleteRow);
}

Result<std::optional<DeleteQueueRow>> MySqlStore::GetDeleteQueueRow(Fid fid) {
  return Read([&](MySqlConnection& c) {
    return First<DeleteQueueRow>(
        c.Query("SELECT fid, nexttry, failcount FROM file_to_delete2 WHERE fid = ?",
                {uint64_t{fid}}),
        ToDeleteRow);
  });
}

Result<void> MySqlStore::RescheduleDelete(Fid fid, NextTry nexttry, bool bump_failcount) {
  return RescheduleQueueRow("file_to_delete2", "fid = ?", {uint64_t{fid}}, nexttry,
                            bump_failcount);
}

Result<void> MySqlStore::DequeueDelete(Fid fid) {
  return DropQueueRow("file_to_delete2", "fid = ?", {uint64_t{fid}});
}

Result<std::vector<Fid>> MySqlStore::LegacyDeleteFids(int limit) {
  return Read([&](MySqlConnection& c) {
    return Map<Fid>(c.Query("(SELECT fid FROM file_to_delete LIMIT ?) UNION "
                            "(SELECT fid FROM file_to_delete_later "
                            "WHERE delafter < UNIX_TIMESTAMP() LIMIT ?)",
                            {int64_t{limit}, int64_t{limit}}),
                    [](const SqlRow& r) { return U64(r[0]); });
  });
}

Result<void> MySqlStore::RemoveLegacyDelete(Fid fid) {
  return Transaction([&](MySqlConnection& c) -> Result<void> {
    if (auto r = c.Exec("DELETE FROM file_to_delete WHERE fid = ?", {uint64_t{fid}}); !r) {
      return r.error();
    }
    return Done(c.Exec("DELETE FROM file_to_delete_later WHERE fid = ?", {uint64_t{fid}}));
  });
}

Result<void> MySqlStore::EnqueueQueueRows(const std::vector<QueueRow>& rows) {
  if (rows.empty()) return {};
  return Transaction([&](MySqlConnection& c) -> Result<void> {
    for (const QueueRow& q : rows) {
      auto r = c.Exec(
          "INSERT IGNORE INTO file_to_queue (fid, devid, type, nexttry, failcount, flags, arg) "
          "VALUES (?, ?, ?, ?, ?, ?, ?)",
          {uint64_t{q.fid}, q.devid ? SqlValue(uint64_t{*q.devid}) : SqlValue(nullptr),
           int64_t{q.type}, int64_t{q.nexttry}, int64_t{q.failcount}, int64_t{q.flags},
           q.arg ? SqlValue(*q.arg) : SqlValue(nullptr)});
      if (!r) return r.error();
    }
    return {};
  });
}

namespace {
constexpr const char* kQueueCols =
    "SELECT fid, devid, type, nexttry, failcount, flags, arg FROM file_to_queue";
}

Result<std::vector<QueueRow>> MySqlStore::ClaimQueue(int type, int limit, int lease_seconds) {
  return Map<QueueRow>(
      ClaimRows("mfsd:file_to_queue",
                std::string(kQueueCols) +
                    " WHERE nexttry <= UNIX_TIMESTAMP() AND type = ? ORDER BY nexttry LIMIT ? "
                    "FOR UPDATE",
                {int64_t{type}, int64_t{limit}}, "file_to_queue", lease_seconds),
      ToQueueRow);
}

Result<std::vector<QueueRow>> MySqlStore::GetQueueRows(Fid fid) {
  return Read([&](MySqlConnection& c) {
    return Map<QueueRow>(
        c.Query(std::string(kQueueCols) + " WHERE fid = ? ORDER BY type", {uint64_t{fid}}),
        ToQueueRow);
  });
}

Result<void> MySqlStore::RescheduleQueue(Fid fid, int type, NextTry nexttry, bool bump_failcount) {
  return RescheduleQueueRow("file_to_queue", "fid = ? AND type = ?",
                            {uint64_t{fid}, int64_t{type}}, nexttry, bump_failcount);
}

Result<void> MySqlStore::DequeueQueueRow(Fid fid, int type) {
  return DropQueueRow("file_to_queue", "fid = ? AND type = ?", {uint64_t{fid}, int64_t{type}});
}

Result<void> MySqlStore::DequeueAllWork(Fid fid) {
  return Transaction([&](MySqlConnection& c) -> Result<void> {
    if (auto r = c.Exec("DELETE FROM file_to_replicate WHERE fid = ?", {uint64_t{fid}}); !r) {
      return r.error();
    }
    return Done(c.Exec("DELETE FROM file_to_queue WHERE fid = ?", {uint64_t{fid}}));
  });
}

Result<uint64_t> MySqlStore::CountQueue(int type) {
  return Read([&](MySqlConnection& c) -> Result<uint64_t> {
    auto rows = c.Query("SELECT COUNT(*) FROM file_to_queue WHERE type = ?", {int64_t{type}});
    if (!rows) return rows.error();
    return U64(rows->front()[0]);
  });
}

// ---------------------------------------------------------------------------------------------
// server_settings

Result<std::optional<std::string>> MySqlStore::GetServerSetting(std::string_view key) {
  return Read([&](MySqlConnection& c) -> Result<std::optional<std::string>> {
    auto rows = c.Query("SELECT value FROM server_settings WHERE field = ?", {S(key)});
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<std::string>();
    return std::optional<std::string>(Str(rows->front()[0]));
  });
}

Result<std::map<std::string, std::string>> MySqlStore::GetServerSettings() {
  return Read([](MySqlConnection& c) -> Result<std::map<std::string, std::string>> {
    auto rows = c.Query("SELECT field, value FROM server_settings");
    if (!rows) return rows.error();
    std::map<std::string, std::string> out;
    for (const auto& r : *rows) out[Str(r[0])] = Str(r[1]);
    return out;
  });
}

Result<void> MySqlStore::SetServerSetting(std::string_view key, std::string_view value) {
  return Write([&](MySqlConnection& c) {
    return Done(
        c.Exec("REPLACE INTO server_settings (field, value) VALUES (?, ?)", {S(key), S(value)}));
  });
}

Result<void> MySqlStore::DeleteServerSetting(std::string_view key) {
  return Write([&](MySqlConnection& c) {
    return Done(c.Exec("DELETE FROM server_settings WHERE field = ?", {S(key)}));
  });
}

Result<void> MySqlStore::DeleteServerSettingsWithPrefix(std::string_view prefix) {
  std::string pattern;
  for (char ch : prefix) {
    if (ch == '%' || ch == '_' || ch == '\\') pattern += '\\';
    pattern += ch;
  }
  pattern += '%';
  return Write([&](MySqlConnection& c) {
    return Done(c.Exec("DELETE FROM server_settings WHERE field LIKE ? ESCAPE '\\\\'", {pattern}));
  });
}

Result<int64_t> MySqlStore::IncrServerSetting(std::string_view key, int64_t by) {
  return Transaction([&](MySqlConnection& c) -> Result<int64_t> {
    auto r = c.Exec(
        "INSERT INTO server_settings (field, value) VALUES (?, ?) "
        "ON DUPLICATE KEY UPDATE value = CAST(COALESCE(value, '0') AS SIGNED) + ?",
        {S(key), std::to_string(by), int64_t{by}});
    if (!r) return r.error();
    auto rows = c.Query("SELECT value FROM server_settings WHERE field = ?", {S(key)});
    if (!rows) return rows.error();
    return rows->empty() ? int64_t{0} : I64(rows->front()[0]);
  });
}

// ---------------------------------------------------------------------------------------------
// fsck_log

Result<void> MySqlStore::AddFsckLog(std::optional<Fid> fid, std::string_view evcode,
                                    std::optional<DevId> devid) {
  return Write([&](MySqlConnection& c) {
    return Done(c.Exec(
        "INSERT INTO fsck_log (utime, fid, evcode, devid) VALUES (UNIX_TIMESTAMP(), ?, ?, ?)",
        {fid ? SqlValue(uint64_t{*fid}) : SqlValue(nullptr), S(evcode),
         devid ? SqlValue(uint64_t{*devid}) : SqlValue(nullptr)}));
  });
}

Result<std::vector<FsckLogRow>> MySqlStore::FsckLogRows(uint64_t after_logid, int limit) {
  return Read([&](MySqlConnection& c) {
    return Map<FsckLogRow>(
        c.Query("SELECT logid, utime, fid, evcode, devid FROM fsck_log WHERE logid > ? "
                "ORDER BY logid LIMIT ?",
                {after_logid, int64_t{limit}}),
        [](const SqlRow& r) {
          FsckLogRow row;
          row.logid = U64(r[0]);
          row.utime = I64(r[1]);
          row.fid = Opt<Fid>(r[2]);
          row.evcode = Str(r[3]);
          row.devid = Opt<DevId>(r[4]);
          return row;
        });
  });
}

Result<std::map<std::string, uint64_t>> MySqlStore::FsckLogCounts(uint64_t after_logid,
                                                                  uint64_t upto_logid) {
  return Read([&](MySqlConnection& c) -> Result<std::map<std::string, uint64_t>> {
    auto rows = c.Query(
        "SELECT evcode, COUNT(*) FROM fsck_log WHERE logid > ? AND logid <= ? GROUP BY evcode",
        {after_logid, upto_logid});
    if (!rows) return rows.error();
    std::map<std::string, uint64_t> out;
    for (const auto& r : *rows) out[Str(r[0])] = U64(r[1]);
    return out;
  });
}

Result<uint64_t> MySqlStore::MaxFsckLogid() {
  return Read([](MySqlConnection& c) -> Result<uint64_t> {
    auto rows = c.Query("SELECT MAX(logid) FROM fsck_log");
    if (!rows) return rows.error();
    return U64(rows->front()[0]);
  });
}

Result<void> MySqlStore::ClearFsckLog() {
  return Write([](MySqlConnection& c) { return Done(c.ExecText("TRUNCATE TABLE fsck_log")); });
}

// ---------------------------------------------------------------------------------------------
// Named locks

Result<bool> MySqlStore::GetLock(std::string_view name, int timeout_seconds) {
  // Never wait as long as the socket read timeout, or the wait itself would look like a dead
  // server.
  int wait = std::clamp(timeout_seconds, 0, std::max(0, params_.read_write_timeout_seconds - 5));
  // Not retried after a reconnect: the caller must know its locks went with the connection.
  return Write([&](MySqlConnection& c) -> Result<bool> {
    auto rows = c.Query("SELECT GET_LOCK(?, ?)", {S(name), int64_t{wait}});
    if (!rows) return rows.error();
    const auto& v = rows->front()[0];
    if (!v) return Error(Errc::kDb, "GET_LOCK(" + S(name) + ") returned NULL");
    return *v == "1";
  });
}

Result<void> MySqlStore::ReleaseLock(std::string_view name) {
  return Write([&](MySqlConnection& c) -> Result<void> {
    auto rows = c.Query("SELECT RELEASE_LOCK(?)", {S(name)});
    if (!rows) return rows.error();
    return {};
  });
}

}  // namespace mog::tracker
