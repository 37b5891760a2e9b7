#include "tests/integration/chaos/upload_load.h"

#include <sstream>

namespace mog::test {
namespace {

client::TrackerOptions ChaosTrackerOptions() {
  client::TrackerOptions o;
  o.connect_timeout = std::chrono::milliseconds(1000);
  // Replies wait on the DB and on fsyncs under load; a kill gives EOF or a refusal at once.
  o.reply_timeout = std::chrono::milliseconds(10000);
  // There is one tracker: after it died, try it again soon rather than fail for 5 s.
  o.dead_retry = std::chrono::milliseconds(200);
  return o;
}

std::string ClassOf(uint64_t n) { return n % 3 == 0 ? "three" : "two"; }

}  // namespace

Uploader::Uploader(const std::string& tracker, const std::string& domain, uint32_t seed)
    : trackers_({tracker}, ChaosTrackerOptions()), client_(trackers_, domain), rng_(seed) {}

std::string Uploader::MakeBody(uint64_t n) {
  const size_t size = (n % 15 == 7) ? (1u << 20) : 1024 + rng_() % (7 * 1024);
  std::string body(size, '\0');
  for (size_t i = 0; i < size; i += 8) {
    const uint64_t word = rng_();
    for (size_t b = 0; b < 8 && i + b < size; ++b) body[i + b] = static_cast<char>(word >> (8 * b));
  }
  ++bodies_;
  return body;
}

bool Uploader::TryUpload(const std::string& key, const std::string& class_name,
                         const std::string& body) {
  std::istringstream source(body);
  auto stored = client_.StoreFile(key, class_name, source, body.size());
  if (!stored) {
    last_error_ = stored.error().errstr();
    return false;
  }
  return true;
}

std::optional<AckedFile> Uploader::UploadUntilAcked(const std::string& key,
                                                    const std::string& class_name,
                                                    std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  do {
    std::string body = MakeBody(bodies_);
    if (TryUpload(key, class_name, body)) return AckedFile{class_name, std::move(body)};
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  } while (std::chrono::steady_clock::now() < deadline);
  return std::nullopt;
}

UploadLoad::UploadLoad(std::string tracker, std::string domain, int threads,
                       std::chrono::milliseconds pace)
    : tracker_(std::move(tracker)),
      domain_(std::move(domain)),
      thread_count_(threads),
      pace_(pace) {}

UploadLoad::~UploadLoad() { Stop(); }

void UploadLoad::Start() {
  for (int i = 0; i < thread_count_; ++i) threads_.emplace_back([this, i] { Loop(i); });
}

void UploadLoad::Stop() {
  stop_ = true;
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void UploadLoad::Loop(int index) {
  Uploader uploader(tracker_, domain_, static_cast<uint32_t>(1000 + index));
  for (uint64_t n = 0; !stop_; ++n) {
    const std::string key = "t" + std::to_string(index) + "-" + std::to_string(n);
    const std::string class_name = ClassOf(n);
    bool failed_before = false;
    while (true) {
      std::string body = uploader.MakeBody(n);
      if (uploader.TryUpload(key, class_name, body)) {
        if (failed_before) ++retried_then_acked_;
        Record(key, AckedFile{class_name, std::move(body)});
        std::this_thread::sleep_for(pace_);
        break;
      }
      failed_before = true;
      ++failed_attempts_;
      {
        std::string kind = uploader.last_error();
        for (char& c : kind) {
          if (c >= '0' && c <= '9') c = 'N';
        }
        std::lock_guard lock(mu_);
        ++errors_[kind];
      }
      if (stop_) {
        std::lock_guard lock(mu_);
        unfinished_.push_back({key, class_name});
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

void UploadLoad::Record(const std::string& key, AckedFile file) {
  std::lock_guard lock(mu_);
  acked_[key] = std::move(file);
}

size_t UploadLoad::acked_count() const {
  std::lock_guard lock(mu_);
  return acked_.size();
}

std::map<std::string, AckedFile> UploadLoad::acked() const {
  std::lock_guard lock(mu_);
  return acked_;
}

std::map<std::string, size_t> UploadLoad::errors() const {
  std::lock_guard lock(mu_);
  return errors_;
}

std::vector<PendingKey> UploadLoad::unfinished() const {
  std::lock_guard lock(mu_);
  return unfinished_;
}

}  // namespace mog::test
