#include "storaged/web/path_cache.h"

namespace mog::storage::web {

namespace {
size_t ShardCount(size_t capacity) { return capacity >= 1024 ? 16 : 1; }
}  // namespace

PathCache::PathCache(size_t capacity, std::chrono::milliseconds ttl)
    : capacity_((capacity + ShardCount(capacity) - 1) / ShardCount(capacity)),
      ttl_(ttl),
      shards_(ShardCount(capacity)) {}

PathCache::Shard& PathCache::ShardFor(const std::string& key) {
  return shards_.size() == 1 ? shards_[0] : shards_[std::hash<std::string>{}(key) % shards_.size()];
}

std::string PathCache::MakeKey(std::string_view domain, std::string_view key) {
  std::string out;
  out.reserve(domain.size() + 1 + key.size());
  out.append(domain).append(1, '\0').append(key);  // a domain never holds NUL
  return out;
}

PathCache::Paths PathCache::Get(std::string_view domain, std::string_view key,
                                Clock::time_point now) {
  if (capacity_ == 0 || ttl_.count() <= 0) return nullptr;
  const std::string k = MakeKey(domain, key);
  Shard& shard = ShardFor(k);
  std::lock_guard lock(shard.mutex);
  auto it = shard.entries.find(k);
  if (it == shard.entries.end()) return nullptr;
  if (now >= it->second.expires) {
    shard.lru.erase(it->second.lru);
    shard.entries.erase(it);
    return nullptr;
  }
  shard.lru.splice(shard.lru.begin(), shard.lru, it->second.lru);
  return it->second.paths;
}

void PathCache::Put(std::string_view domain, std::string_view key, std::vector<std::string> paths,
                    Clock::time_point now) {
  if (capacity_ == 0 || ttl_.count() <= 0) return;
  std::string k = MakeKey(domain, key);
  auto value = std::make_shared<const std::vector<std::string>>(std::move(paths));
  Shard& shard = ShardFor(k);
  std::lock_guard lock(shard.mutex);
  if (auto it = shard.entries.find(k); it != shard.entries.end()) {
    it->second.paths = std::move(value);
    it->second.expires = now + ttl_;
    shard.lru.splice(shard.lru.begin(), shard.lru, it->second.lru);
    return;
  }
  while (shard.entries.size() >= capacity_ && !shard.lru.empty()) {
    shard.entries.erase(shard.lru.back());
    shard.lru.pop_back();
  }
  shard.lru.push_front(k);
  shard.entries.emplace(std::move(k), Entry{std::move(value), now + ttl_, shard.lru.begin()});
}

void PathCache::Drop(std::string_view domain, std::string_view key) {
  const std::string k = MakeKey(domain, key);
  Shard& shard = ShardFor(k);
  std::lock_guard lock(shard.mutex);
  auto it = shard.entries.find(k);
  if (it == shard.entries.end()) return;
  shard.lru.erase(it->second.lru);
  shard.entries.erase(it);
}

size_t PathCache::size() const {
  size_t n = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    n += shard.entries.size();
  }
  return n;
}

}  // namespace mog::storage::web
