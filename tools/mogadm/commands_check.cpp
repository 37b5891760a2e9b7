// mogadm check: every tracker, then every alive host's HTTP root, then every non-dead
// device's usage file.
#include <algorithm>
#include <ctime>

#include "tools/cli/sprintf.h"
#include "client/http_transfer.h"
#include "tools/mogadm/formats.h"
#include "tools/mogadm/mogadm_runner.h"
#include "tools/mogadm/texts.h"

namespace mog::mogadm {
namespace {

using client::PerlInt;

// LWP::Simple::get: the body of a 2xx response, nullopt otherwise. Bodies are small here.
std::optional<std::string> SimpleGet(const std::string& url) {
  std::string body;
  client::HttpOptions options;
  options.io_timeout = std::chrono::seconds(10);
  auto got = client::HttpGet(url, [&](const char* data, size_t size) {
    if (body.size() + size > (1 << 20)) return false;
    body.append(data, size);
    return true;
  }, options);
  if (!got.ok()) return std::nullopt;
  return body;
}

}  // namespace

void CheckCommand(Runner& r) {
  std::optional<std::vector<client::HostInfo>> hosts;
  std::optional<std::vector<client::DeviceInfo>> devices;
  // Upstream exits 0 whatever it found; we list what failed and exit 1.
  std::vector<std::string> problems;
  r.out() << "Checking trackers...\n";
  for (const std::string& tracker : r.trackers) {
    r.out() << "  " << tracker << " ... " << std::flush;
    client::Admin& admin = r.NewAdmin(tracker);
    auto h = admin.GetHosts();
    auto d = h ? admin.GetDevices() : client::ClientResult<std::vector<client::DeviceInfo>>(h.error());
    if (h && d) {
      r.out() << "OK\n";
      hosts = *h;
      devices = *d;
    } else {
      r.out() << "REQUEST FAILURE (is the tracker up?)\n";
      problems.push_back("tracker " + tracker + " did not answer");
    }
    r.out() << std::flush;
  }
  if (!hosts) {
    std::string asked;
    for (const std::string& t : r.trackers) asked += (asked.empty() ? "" : ", ") + t;
    r.FailText(kNoHosts.substr(0, kNoHosts.size() - 2) + ": " + asked + " (is the tracker up?)\n");
  }
  r.out() << "\n";

  r.out() << "Checking hosts...\n";
  std::vector<client::HostInfo> by_id = *hosts;
  std::stable_sort(by_id.begin(), by_id.end(),
                   [](auto& a, auto& b) { return PerlInt(a.hostid) < PerlInt(b.hostid); });
  std::vector<std::pair<std::string, std::string>> urls;  // hostid, url
  for (const auto& host : by_id) {
    r.out() << cli::Sprintf("  [%2d] %s ... ", static_cast<int>(PerlInt(host.hostid)),
                            host.hostname.c_str())
            << std::flush;
    if (host.status == "alive") {
      const std::string url = "http://" + host.hostip + ":" + host.http_port + "/";
      if (SimpleGet(url)) {
        r.out() << "OK\n";
        urls.emplace_back(host.hostid, url);
      } else {
        r.out() << "REQUEST FAILURE FETCHING: " << url << "\n";
        problems.push_back("host " + host.hostname + " did not answer at " + url);
      }
    } else {
      r.out() << "skipping; status = " << host.status << "\n";
    }
  }
  if (urls.empty()) r.FailText(kNoDevices);
  r.out() << "\n";

  r.out() << "Checking devices...\n" << FormatCheckDeviceHeader() << std::flush;
  CheckTotals totals;
  for (const auto& [hostid, url] : urls) {
    std::vector<client::DeviceInfo> devs;
    for (const auto& d : *devices) {
      if (d.hostid == hostid) devs.push_back(d);
    }
    std::stable_sort(devs.begin(), devs.end(),
                     [](auto& a, auto& b) { return PerlInt(a.devid) < PerlInt(b.devid); });
    for (const auto& dev : devs) {
      const std::string status = dev.status.empty() ? "??" : dev.status;
      if (status == "dead") continue;
      r.out() << cli::Sprintf("  [%2d] %-7s", static_cast<int>(PerlInt(hostid)),
                              ("dev" + dev.devid).c_str());
      const std::string shown = url + "dev" + dev.devid + "/usage";
      auto usage = SimpleGet(url + "/dev" + dev.devid + "/usage");
      if (!usage) {
        r.out() << "REQUEST FAILURE FETCHING: " << shown << "\n";
        problems.push_back("dev" + dev.devid + " has no usage file at " + shown);
        continue;
      }
      r.out() << FormatCheckDeviceUsage(*usage, shown, dev, &totals) << std::flush;
    }
  }
  r.out() << FormatCheckTotals(totals);
  if (!problems.empty()) {
    std::string text = "mogadm check found " + std::to_string(problems.size()) + " problem" +
                       (problems.size() == 1 ? "" : "s") + ":\n";
    for (const auto& p : problems) text += "  " + p + "\n";
    text.pop_back();
    r.FailText(text);
  }
  r.Ok();
}

}  // namespace mog::mogadm
