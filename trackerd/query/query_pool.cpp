#include "trackerd/query/query_pool.h"

#include <pthread.h>

#include "common/log/logging.h"

namespace mog::tracker {
namespace {

constexpr size_t kRecentQueries = 50;

}  // namespace

QueryPool::QueryPool(StoreFactory* factory, QueryServices* services, const CommandTable& table,
                     int max_handles)
    : factory_(factory), services_(services), table_(table), max_handles_(max_handles) {}

QueryPool::~QueryPool() { Stop(); }

void QueryPool::SetWorkers(int count) {
  if (count < 0) count = 0;  // 0: queries wait in the queue until workers are wanted again
  std::lock_guard lock(mu_);
  if (stopping_) return;
  desired_ = count;
  // Retire surplus threads (they exit when idle), then start missing ones.
  size_t active = 0;
  for (size_t i = 0; i < retire_.size(); ++i) {
    if (retire_[i]) continue;
    if (active >= static_cast<size_t>(count)) {
      retire_[i] = true;
    } else {
      ++active;
    }
  }
  while (active < static_cast<size_t>(count)) {
    const size_t index = threads_.size();
    retire_.push_back(false);
    threads_.emplace_back([this, index] { WorkerLoop(index); });
    ++active;
    ++live_;
  }
  cv_.notify_all();
}

void QueryPool::Submit(QueryJob job) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    if (processing_ >= live_) ++out_of_workers_;
    queue_.push_back(std::move(job));
  }
  cv_.notify_one();
}

void QueryPool::Stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
    threads.swap(threads_);
  }
  cv_.notify_all();
  for (auto& t : threads) {
    if (t.joinable()) t.join();
  }
}

std::string QueryPool::RunOne(std::unique_ptr<Store>& store, int& uses, const QueryJob& job) {
  if (max_handles_ > 0 && uses >= max_handles_) {
    store.reset();  // max_handles: reconnect after that many uses
    uses = 0;
  }
  if (!store) {
    auto made = factory_->Create();
    if (!made) {
      const auto callid = DecodeArgs(job.raw_args).GetOpt("callid");
      return EncodeErr(Errc::kDb, "Database unavailable: " + made.error().message(), callid);
    }
    store = std::move(*made);
  }
  ++uses;
  return RunQuery(table_, *store, *services_, job.client_ip, job.verb, job.raw_args);
}

void QueryPool::WorkerLoop(size_t index) {
  // Named as upstream's worker processes are, so `top -H` / `ps -L` show where CPU goes.
  pthread_setname_np(pthread_self(), "queryworker");
  std::unique_ptr<Store> store;
  int uses = 0;
  while (true) {
    QueryJob job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || retire_[index] || !queue_.empty(); });
      if (stopping_ && queue_.empty()) break;
      if (retire_[index] && !stopping_) break;
      job = std::move(queue_.front());
      queue_.pop_front();
      ++processing_;
    }
    const auto start = std::chrono::steady_clock::now();
    std::string reply;
    try {
      reply = RunOne(store, uses, job);
    } catch (const std::exception& e) {
      Logger("query")->error("query worker: {}", e.what());
      reply = EncodeErr(Errc::kFailure, "");
    }
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    {
      std::lock_guard lock(mu_);
      --processing_;
      ++queries_;
      recent_.push_back({job.line, secs});
      if (recent_.size() > kRecentQueries) recent_.pop_front();
    }
    if (job.done) job.done(std::move(reply));
  }
  std::lock_guard lock(mu_);
  --live_;
}

int QueryPool::desired() const {
  std::lock_guard lock(mu_);
  return desired_;
}
size_t QueryPool::live_workers() const {
  std::lock_guard lock(mu_);
  return live_;
}
size_t QueryPool::pending() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}
size_t QueryPool::processing() const {
  std::lock_guard lock(mu_);
  return processing_;
}
size_t QueryPool::bored() const {
  std::lock_guard lock(mu_);
  return live_ > processing_ ? live_ - processing_ : 0;
}
uint64_t QueryPool::queries() const {
  std::lock_guard lock(mu_);
  return queries_;
}
uint64_t QueryPool::times_out_of_workers() const {
  std::lock_guard lock(mu_);
  return out_of_workers_;
}
std::vector<std::string> QueryPool::PendingLines() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& j : queue_) out.push_back(j.line);
  return out;
}
std::vector<RecentQuery> QueryPool::Recent() const {
  std::lock_guard lock(mu_);
  return {recent_.begin(), recent_.end()};
}

}  // namespace mog::tracker
