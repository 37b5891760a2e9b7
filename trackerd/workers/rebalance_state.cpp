#include "trackerd/workers/rebalance_state.h"

#include <cctype>

#include "trackerd/query/query_context.h"

namespace mog::tracker {
namespace {

std::vector<std::string_view> SplitOnSpace(std::string_view text) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])) != 0) ++i;
    size_t end = i;
    while (end < text.size() && std::isspace(static_cast<unsigned char>(text[end])) == 0) ++end;
    if (end > i) out.push_back(text.substr(i, end - i));
    i = end;
  }
  return out;
}

uint64_t NonNegative(std::string_view v) {
  const int64_t n = PerlInt(v);
  return n < 0 ? 0 : static_cast<uint64_t>(n);
}

}  // namespace

std::vector<DevId> ParseDevIdList(std::string_view text) {
  std::vector<DevId> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    const int64_t id = PerlInt(text.substr(start, comma - start));
    if (id > 0 && id <= UINT32_MAX) out.push_back(static_cast<DevId>(id));
    start = comma + 1;
  }
  return out;
}

std::string FormatDevIdList(const std::vector<DevId>& ids) {
  std::string out;
  for (DevId id : ids) {
    if (!out.empty()) out.push_back(',');
    out += std::to_string(id);
  }
  return out;
}

RebalanceState ParseRebalanceState(std::string_view text) {
  RebalanceState s;
  for (std::string_view pair : SplitOnSpace(text)) {
    const size_t eq = pair.find('=');
    const std::string_view key = pair.substr(0, eq);
    std::string_view value =
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    value = value.substr(0, value.find('='));  // Perl's split /=/ keeps the second field only
    if (key == "completed_devs")
      s.completed_devs = ParseDevIdList(value);
    else if (key == "source_devs")
      s.source_devs = ParseDevIdList(value);
    else if (key == "sdev_current")
      s.sdev_current = static_cast<DevId>(NonNegative(value));
    else if (key == "sdev_lastfid")
      s.sdev_lastfid = NonNegative(value);
    else if (key == "sdev_limit")
      s.sdev_limit = PerlInt(value);  // "none" / "" -> 0
    else if (key == "limit")
      s.limit = PerlInt(value);
    else if (key == "fids_queued")
      s.fids_queued = NonNegative(value);
    else if (key == "bytes_queued")
      s.bytes_queued = NonNegative(value);
    else if (key == "time_started")
      s.time_started = PerlInt(value);
    else if (key == "time_finished")
      s.time_finished = PerlInt(value);
    else if (key == "time_stopped")
      s.time_stopped = PerlInt(value);
    else if (key == "time_latest_run")
      s.time_latest_run = PerlInt(value);
    else if (key == "time_latest_empty_run")
      s.time_latest_empty_run = PerlInt(value);
    else if (key == "empty_runs")
      s.empty_runs = PerlInt(value);
  }
  return s;
}

std::string FormatRebalanceState(const RebalanceState& s) {
  auto n = [](auto v) { return std::to_string(v); };
  return "completed_devs=" + FormatDevIdList(s.completed_devs) +
         " source_devs=" + FormatDevIdList(s.source_devs) + " sdev_current=" + n(s.sdev_current) +
         " sdev_lastfid=" + n(s.sdev_lastfid) + " sdev_limit=" + n(s.sdev_limit) +
         " limit=" + n(s.limit) + " fids_queued=" + n(s.fids_queued) +
         " bytes_queued=" + n(s.bytes_queued) + " time_started=" + n(s.time_started) +
         " time_finished=" + n(s.time_finished) + " time_stopped=" + n(s.time_stopped) +
         " time_latest_run=" + n(s.time_latest_run) +
         " time_latest_empty_run=" + n(s.time_latest_empty_run) + " empty_runs=" + n(s.empty_runs);
}

}  // namespace mog::tracker
