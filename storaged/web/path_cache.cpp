#include "storaged/web/path_cache.h"

namespace mog::storage::web {

PathCache::PathCache(size_t capacity, std::chrono::milliseconds ttl)
    : capacity_(capacity), ttl_(ttl) {}

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
  std::lock_guard lock(mutex_);
  auto it = entries_.find(k);
  if (it == entries_.end()) return nullptr;
  if (now >= it->second.expires) {
    lru_.erase(it->second.lru);
    entries_.erase(it);
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second.lru);
  return it->second.paths;
}

void PathCache::Put(std::string_view domain, std::string_view key, std::vector<std::string> paths,
                    Clock::time_point now) {
  if (capacity_ == 0 || ttl_.count() <= 0) return;
  std::string k = MakeKey(domain, key);
  auto value = std::make_shared<const std::vector<std::string>>(std::move(paths));
  std::lock_guard lock(mutex_);
  if (auto it = entries_.find(k); it != entries_.end()) {
    it->second.paths = std::move(value);
    it->second.expires = now + ttl_;
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    return;
  }
  while (entries_.size() >= capacity_ && !lru_.empty()) {
    entries_.erase(lru_.back());
    lru_.pop_back();
  }
  lru_.push_front(k);
  entries_.emplace(std::move(k), Entry{std::move(value), now + ttl_, lru_.begin()});
}

void PathCache::Drop(std::string_view domain, std::string_view key) {
  const std::string k = MakeKey(domain, key);
  std::lock_guard lock(mutex_);
  auto it = entries_.find(k);
  if (it == entries_.end()) return;
  lru_.erase(it->second.lru);
  entries_.erase(it);
}

size_t PathCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace mog::storage::web
