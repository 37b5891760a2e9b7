#include "trackerd/tracker.h"

#include <unistd.h>

#include "common/log/logging.h"
#include "trackerd/nodes/http_node_client.h"
#include "trackerd/query/command_table.h"
#include "trackerd/query/query_pool.h"
#include "trackerd/server/client_session.h"
#include "trackerd/server/listener.h"
#include "trackerd/server/parent_commands.h"
#include "trackerd/server/watch_hub.h"
#include "trackerd/state/cache_refresher.h"
#include "trackerd/state/cluster_state.h"
#include "trackerd/workers/replication_nudger.h"
#include "trackerd/store/dsn.h"
#include "trackerd/store/store.h"
#include "trackerd/workers/monitor.h"
#include "trackerd/workers/worker_options.h"
#include "trackerd/workers/worker_set.h"

namespace mog::tracker {
namespace {

constexpr int kSchemaVersion = 17;

std::string Hostname() {
  char buf[256] = {0};
  if (gethostname(buf, sizeof(buf) - 1) != 0) return "localhost";
  return buf;
}

}  // namespace

Tracker::Tracker(TrackerConfig config) : config_(std::move(config)) {}

Tracker::~Tracker() { Stop(); }

Result<void> Tracker::CheckDatabase() {
  auto store = store_factory_->Create();
  if (!store) {
    return Error(Errc::kDb,
                 "unable to establish connection with your MogileFS database (" +
                     config_.db_dsn + ", user " + config_.db_user +
                     "). Please verify the configuration, or run mogdbsetup. Details: " +
                     store.error().message());
  }
  Store& s = **store;
  auto version = s.GetServerSetting("schema_version");
  if (!version) return version.error();
  const int64_t v = version->has_value() ? PerlInt(**version) : 0;
  if (v != kSchemaVersion && !config_.no_schema_check) {
    return Error(Errc::kDb, "Server's database schema version of " + std::to_string(v) +
                                " doesn't match expected value of " +
                                std::to_string(kSchemaVersion) +
                                ". Please run mogdbsetup to upgrade your schema.");
  }
  // Self-test of fid allocation (LAST_INSERT_ID); the Delete worker removes the row later.
  NewTempfile probe;
  probe.dmid = 99;
  probe.dkey = "_server_startup_test";
  probe.classid = 0;
  auto fid = s.RegisterTempfile(probe, 0);
  if (!fid) {
    return Error(Errc::kDb, "tempfile self-test insert failed: " + fid.error().message());
  }
  auto max_fid = s.MaxFid();
  if (!max_fid) return max_fid.error();
  services_->min_fidid = *max_fid;
  auto refreshed = RefreshClusterState(s, *state_);
  if (!refreshed) return refreshed.error();
  return {};
}

Result<void> Tracker::Start() {
  auto log = Logger("tracker");
  for (const auto& w : config_.warnings) log->warn("{}", w);
  if (geteuid() == 0 && config_.user != "root") {
    return Error(Errc::kFailure,
                 "mogilefsd refuses to run as root; set `user = root` in the config (or "
                 "--user=root) to override");
  }
  if (!config_.plugins.empty()) {
    return Error(Errc::kFailure, "Unable to load " + config_.plugins.front() +
                                     ": plugins are not supported by this mogilefsd");
  }
  StoreOptions so;
  so.dsn = config_.db_dsn;
  so.user = config_.db_user;
  so.pass = config_.db_pass;
  auto factory = MakeStoreFactory(so);
  if (!factory) return factory.error();
  store_factory_ = std::move(*factory);
  std::string db_where = "?";
  if (auto dsn = ParseDsn(config_.db_dsn)) {  // parsed already by the factory
    db_where = dsn->Describe();
    for (const auto& [name, value] : dsn->extra) {
      log->warn("db_dsn attribute '{}' is not used by this mogilefsd; ignored", name);
    }
  }

  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) env.emplace_back(*e);
  auto fake_io = FakeIoUtilization(env);
  for (const auto& [devid, util] : fake_io) {
    log->warn("TESTING: dev{} utilization fixed at {} (T_FAKE_IO_DEV{})", devid, util, devid);
  }
  state_ = std::make_unique<ClusterState>(
      ClusterLimits{.default_mindevcount = config_.default_mindevcount,
                    .min_free_space_mb = config_.min_free_space,
                    .fake_utilization = std::move(fake_io)});
  services_ = std::make_unique<QueryServices>();
  services_->state = state_.get();
  services_->hostname = Hostname();
  services_->mogstored_stream_port = config_.mogstored_stream_port;
  services_->monitor_wait = std::chrono::seconds(std::max(2, config_.conn_timeout * 2 + 1));
  services_->refresh_cache = [state = state_.get()](Store& store) {
    return RefreshClusterState(store, *state);
  };
  if (auto r = CheckDatabase(); !r) return r;

  ClusterState* state = state_.get();
  HttpNodeClientOptions qopts;
  qopts.timeout = std::chrono::seconds(std::max(1, config_.node_timeout));
  qopts.pool_size = static_cast<size_t>(config_.conn_pool_size);
  qopts.skip_mkcol = [state] { return state->Snapshot()->SettingTrue("skip_mkcol"); };
  // Query and worker threads are long-lived: each runs its own node exchanges and keeps its
  // own idle connections (no hand-off to an I/O thread and back per HEAD/GET/PUT). The
  // Monitor's probes run on short-lived threads, so it keeps background I/O threads.
  HttpNodeClientOptions own_thread_opts = qopts;
  own_thread_opts.io_threads = 0;
  query_nodes_ = std::make_unique<HttpNodeClient>(own_thread_opts);
  services_->nodes = query_nodes_.get();

  HttpNodeClientOptions mopts = qopts;
  mopts.timeout = std::chrono::seconds(std::max(1, config_.conn_timeout));
  monitor_nodes_ = std::make_unique<HttpNodeClient>(mopts);
  usage_sink_ = std::make_unique<StoreUsageSink>(*store_factory_);
  MonitorOptions mo;
  mo.side_channel_port = static_cast<uint16_t>(config_.mogstored_stream_port);
  monitor_ = std::make_unique<Monitor>(*state_, *monitor_nodes_, usage_sink_.get(), mo);
  monitor_->Start();

  refresher_ = std::make_unique<CacheRefresher>(*state_, *store_factory_);
  refresher_->Start();
  if (config_.job_master && config_.replicate_jobs > 0) {
    nudger_ = std::make_unique<ReplicationNudger>(*state_, *store_factory_);
    nudger_->Start();
  }

  worker_nodes_ = std::make_unique<HttpNodeClient>(own_thread_opts);
  workers_ = std::make_unique<WorkerSet>(*store_factory_, *state_, *worker_nodes_,
                                         WorkerOptionsFromConfig(config_));
  workers_->AdoptMonitor(monitor_.get());
  // As upstream, the workers start only after the monitor's first complete round: before it no
  // device is known writeable, so every replication would fail and back off. Waiting on a side
  // thread keeps start-up (and the listeners) from blocking on slow storage nodes.
  workers_starter_ = std::thread([this] {
    while (!stopping_workers_ && monitor_->rounds_completed() == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!stopping_workers_) workers_->Start();
  });

  pool_ = std::make_unique<QueryPool>(store_factory_.get(), services_.get(),
                                      CommandTable::Default(), config_.max_handles);
  pool_->SetWorkers(config_.query_jobs);

  watch_ = std::make_unique<WatchHub>();
  parent_ = std::make_unique<ParentCommands>(
      pool_.get(), watch_.get(), workers_.get(), [this] { RequestStop(); },
      [monitor = monitor_.get()] { return monitor->rounds_completed() > 0; });
  session_services_ = std::make_unique<SessionServices>();
  session_services_->pool = pool_.get();
  session_services_->parent_command = [parent = parent_.get()](
                                          const std::string& name, const std::string& args,
                                          const std::shared_ptr<ClientSession>& session) {
    return parent->Run(name, args, session);
  };

  for (const Endpoint& ep : config_.listen) {
    auto listener = std::make_shared<Listener>(io_, session_services_.get());
    if (auto r = listener->Open(ep); !r) return r;
    log->info("listening on {}", Endpoint{ep.host, listener->port()}.ToString());
    listeners_.push_back(listener);
  }
  for (auto& l : listeners_) l->Start();
  work_ = std::make_unique<
      boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>(
      io_.get_executor());
  for (int i = 0; i < 2; ++i) io_threads_.emplace_back([this] { io_.run(); });
  log->info("mogilefsd started: {} query workers, db {} (at {})", config_.query_jobs,
            config_.db_dsn, db_where);
  return {};
}

std::vector<uint16_t> Tracker::ports() const {
  std::vector<uint16_t> out;
  for (const auto& l : listeners_) out.push_back(l->port());
  return out;
}

void Tracker::Wait() {
  std::unique_lock lock(stop_mu_);
  stop_cv_.wait(lock, [&] { return stop_requested_; });
}

void Tracker::RequestStop() {
  {
    std::lock_guard lock(stop_mu_);
    stop_requested_ = true;
  }
  stop_cv_.notify_all();
}

void Tracker::Stop() {
  if (stopped_) return;
  stopped_ = true;
  for (auto& l : listeners_) l->Stop();
  if (pool_) pool_->Stop();
  stopping_workers_ = true;
  if (workers_starter_.joinable()) workers_starter_.join();
  if (workers_) workers_->Stop();
  if (nudger_) nudger_->Stop();
  if (monitor_) monitor_->Stop();
  if (refresher_) refresher_->Stop();
  work_.reset();
  io_.stop();
  for (auto& t : io_threads_) {
    if (t.joinable()) t.join();
  }
  io_threads_.clear();
}

}  // namespace mog::tracker
