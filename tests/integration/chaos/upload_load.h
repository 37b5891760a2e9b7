// The upload side of the chaos test: uploader threads that store files through the client
// library (create_open -> PUT with failover -> create_close) and remember every file whose
// create_close was ACKNOWLEDGED, with its exact bytes. A failed attempt is retried on the same
// key with fresh bytes, so the test also sees whether a failure leaves something behind that
// breaks a later upload of that key.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "client/mogilefs_client.h"

namespace mog::test {

struct AckedFile {
  std::string class_name;
  std::string body;
};

// A key whose last attempt failed when the uploads were stopped.
struct PendingKey {
  std::string key;
  std::string class_name;
};

// One client (own tracker connection) uploading on the caller's thread.
class Uploader {
 public:
  Uploader(const std::string& tracker, const std::string& domain, uint32_t seed);

  // Random bytes: mostly 1-8 KiB, every 15th body 1 MiB (`n` picks which).
  std::string MakeBody(uint64_t n);
  // One create_open / PUT / create_close; true only if create_close answered OK.
  bool TryUpload(const std::string& key, const std::string& class_name, const std::string& body);
  // Retries (fresh bytes each time, 100 ms apart) until acknowledged or `timeout`.
  std::optional<AckedFile> UploadUntilAcked(const std::string& key, const std::string& class_name,
                                            std::chrono::milliseconds timeout);
  const std::string& last_error() const { return last_error_; }

 private:
  client::TrackerConnection trackers_;
  client::Client client_;
  std::mt19937_64 rng_;
  uint64_t bodies_ = 0;
  std::string last_error_;
};

// `threads` uploaders running until Stop(); keys "t<thread>-<n>", every third in class
// "three" (mindevcount 3), the rest in "two" (mindevcount 2). Each thread pauses `pace`
// after an acknowledged upload: unthrottled, uploads outrun replication and the test would
// measure the replication backlog of a saturated machine instead of the recovery from kills.
class UploadLoad {
 public:
  UploadLoad(std::string tracker, std::string domain, int threads, std::chrono::milliseconds pace);
  ~UploadLoad();
  UploadLoad(const UploadLoad&) = delete;
  UploadLoad& operator=(const UploadLoad&) = delete;

  void Start();
  void Stop();

  size_t acked_count() const;
  size_t failed_attempts() const { return failed_attempts_; }
  size_t keys_retried_then_acked() const { return retried_then_acked_; }
  std::map<std::string, AckedFile> acked() const;
  // The distinct errors uploads got (digits blanked so one kind shows once), with counts.
  std::map<std::string, size_t> errors() const;
  // Keys abandoned by Stop() after a failed attempt.
  std::vector<PendingKey> unfinished() const;
  void Record(const std::string& key, AckedFile file);

 private:
  void Loop(int index);

  std::string tracker_;
  std::string domain_;
  int thread_count_;
  std::chrono::milliseconds pace_;
  std::atomic<bool> stop_{false};
  std::atomic<size_t> failed_attempts_{0};
  std::atomic<size_t> retried_then_acked_{0};
  mutable std::mutex mu_;
  std::map<std::string, AckedFile> acked_;
  std::map<std::string, size_t> errors_;
  std::vector<PendingKey> unfinished_;
  std::vector<std::thread> threads_;
};

}  // namespace mog::test
