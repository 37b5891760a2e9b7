// get_paths answers kept for a short time, so a hot image costs no tracker round trip. Bounded
// (least recently used entries go first, per shard) and thread-safe (16 independently locked
// shards once the capacity is 1024 or more, so socket threads rarely meet on a lock); an entry
// older than the TTL is never returned, and the web service drops an entry the moment one of
// its paths fails.
#pragma once

#include <chrono>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mog::storage::web {

class PathCache {
 public:
  using Clock = std::chrono::steady_clock;
  using Paths = std::shared_ptr<const std::vector<std::string>>;

  // capacity 0 or ttl 0: nothing is kept.
  PathCache(size_t capacity, std::chrono::milliseconds ttl);

  Paths Get(std::string_view domain, std::string_view key, Clock::time_point now);
  void Put(std::string_view domain, std::string_view key, std::vector<std::string> paths,
           Clock::time_point now);
  void Drop(std::string_view domain, std::string_view key);
  size_t size() const;

 private:
  struct Entry {
    Paths paths;
    Clock::time_point expires;
    std::list<std::string>::iterator lru;  // position in lru_
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, Entry> entries;  // GUARDED_BY(mutex)
    std::list<std::string> lru;                      // front: most recently used
  };
  static std::string MakeKey(std::string_view domain, std::string_view key);
  Shard& ShardFor(const std::string& key);

  const size_t capacity_;  // per shard
  const std::chrono::milliseconds ttl_;
  std::vector<Shard> shards_;
};

}  // namespace mog::storage::web
