// mogadm's report layouts, byte for byte as MogileFS-Utils 2.30 prints them. Pure functions of
// tracker data so they can be compared with the reference samples in tests.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "client/admin.h"
#include "client/reply_args.h"

namespace mog::mogadm {

std::string FormatHostList(const std::vector<client::HostInfo>& hosts);
// `hostname` limits the output to one host; `all` includes dead devices.
std::string FormatDeviceList(const std::vector<client::HostInfo>& hosts,
                             const std::vector<client::DeviceInfo>& devices,
                             const std::optional<std::string>& hostname, bool all);
std::string FormatDeviceSummary(const std::vector<client::HostInfo>& hosts,
                                const std::vector<client::DeviceInfo>& devices,
                                const std::optional<std::string>& hostname,
                                const std::set<std::string>& statuses);
std::string FormatDomainList(const client::DomainMap& domains);
std::string FormatFsckStatus(const client::ReplyArgs& status);
std::string FormatFsckLogHeader();
std::string FormatFsckLogRow(const client::FsckLogRow& row);
// "%25s = %-s" lines, sorted; `keep` decides which keys are shown.
std::string FormatSettings(const std::map<std::string, std::string>& settings,
                           bool (*keep)(const std::string& key));
std::string FormatRebalanceTest(const std::string& policy, const client::ReplyArgs& reply);
std::string FormatRebalanceStatus(bool running, const std::string& state);

// ---- mogadm check ----
std::string FormatCheckDeviceHeader();
// Usage file ("key: value" lines) -> the row after "  [%2d] %-7s", or the failure text; adds
// to the running totals (GiB) on success.
struct CheckTotals {
  double total = 0, used = 0, avail = 0;
};
std::string FormatCheckDeviceUsage(const std::string& usage_text, const std::string& url,
                                   const client::DeviceInfo& device, CheckTotals* totals);
std::string FormatCheckTotals(const CheckTotals& totals);

}  // namespace mog::mogadm
