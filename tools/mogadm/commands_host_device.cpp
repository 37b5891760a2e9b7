// mogadm host ... and device ...
#include <arpa/inet.h>
#include <netdb.h>

#include <regex>
#include <sstream>
#include <set>

#include "tools/mogadm/formats.h"
#include "tools/mogadm/mogadm_runner.h"
#include "tools/mogadm/texts.h"

namespace mog::mogadm {
namespace {

bool PerlTrue(const std::string& v) { return !v.empty() && v != "0"; }

// A dotted-quad IPv4 address (what the tracker hands to clients in URLs). Upstream's mogadm
// and tracker store any string, so `--ip=999.1.1.1` "succeeds" and every URL is broken.
bool IsIpv4(const std::string& ip) {
  in_addr addr{};
  return inet_pton(AF_INET, ip.c_str(), &addr) == 1;
}

std::string Arg(const CommandArgs& args, const std::string& name) {
  auto it = args.find(name);
  return it == args.end() ? std::string() : it->second;
}

std::optional<std::string> ResolveIpv4(const std::string& name) {
  addrinfo hints{};
  hints.ai_family = AF_INET;
  addrinfo* result = nullptr;
  if (getaddrinfo(name.c_str(), nullptr, &hints, &result) != 0 || !result) return std::nullopt;
  char text[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(result->ai_addr)->sin_addr, text,
            sizeof text);
  freeaddrinfo(result);
  return std::string(text);
}

// Host fields in the order upstream's hash usually yields; only those given are sent.
mog::ArgList HostFields(const CommandArgs& args) {
  mog::ArgList fields;
  for (const char* name : {"ip", "port", "getport", "altip", "altmask", "status"}) {
    if (auto it = args.find(name); it != args.end()) fields.emplace_back(name, it->second);
  }
  return fields;
}

void WarnOnDrain(Runner& r, const CommandArgs& args) {
  if (Arg(args, "status") == "drain") {
    r.out() << "***NOTE***: As of server version 2.40 'drain' has changed: it only stops new "
               "files; to empty the device run mogadm rebalance (docs/ARCHITECTURE.md, "
               "\"Rebalance and drain\").\n";
  }
}

}  // namespace

void HostCommand(Runner& r, const std::string& verb, CommandArgs& args) {
  if (verb == "list") {
    auto hosts = r.NewAdmin().GetHosts();
    if (!hosts) r.FailText(kNoHosts);
    r.out() << FormatHostList(*hosts);
    r.Ok();
  }
  const std::string name = Arg(args, "hostname");
  args.erase("hostname");
  if ((verb == "add" || verb == "modify") && args.count("ip") && PerlTrue(args["ip"]) &&
      !IsIpv4(args["ip"])) {
    r.Fail("Invalid --ip '" + args["ip"] + "': not an IPv4 address (like 192.168.30.108)");
  }
  if (verb == "add") {
    auto hosts = r.NewAdmin().GetHosts();
    if (!hosts) r.FailText(kNoHosts);
    if (!PerlTrue(name)) r.HelpDie("No hostname");
    for (const auto& h : *hosts) {
      if (h.hostname == name) r.Fail("Host already exists.");
    }
    if (!PerlTrue(Arg(args, "ip"))) {
      auto ip = ResolveIpv4(name);
      if (!ip) r.FailText(kHostAddNoIp);
      args["ip"] = *ip;
    }
    if (!PerlTrue(Arg(args, "port"))) args["port"] = "7500";
    if (!PerlTrue(Arg(args, "status"))) args["status"] = "down";
    auto created = r.NewAdmin().ModifyHost("create", name, HostFields(args));
    if (!created) {
      r.FailWith("Failure creating host: ", created.error(), {.host = name, .ip = args["ip"]});
    }
    r.Ok("Host has been created.");
  }
  if (verb == "modify") {
    auto updated = r.NewAdmin().ModifyHost("update", name, HostFields(args));
    if (!updated) {
      r.FailWith("Failure modifying host: ", updated.error(),
                 {.host = name, .ip = Arg(args, "ip"), .states = "host"});
    }
    r.Ok("Host has been modified.");
  }
  if (verb == "mark") {
    auto updated = r.NewAdmin().ModifyHost("update", name, {{"status", Arg(args, "status")}});
    if (!updated) {
      r.FailWith("Failure updating host status: ", updated.error(),
                 {.host = name, .states = "host"});
    }
    r.Ok("Host status updated.");
  }
  if (verb == "delete") {
    auto deleted = r.NewAdmin().DeleteHost(name);
    if (!deleted) r.FailWith("Failure deleting host: ", deleted.error());
    r.Ok("Host has been deleted.");
  }
}

void DeviceCommand(Runner& r, const std::string& verb, CommandArgs& args) {
  const std::string hostname = Arg(args, "hostname");
  const std::string devid = Arg(args, "devid");
  if (verb == "add") {
    if (!r.NewAdmin().GetHosts()) r.FailText(kNoHosts);
    static const std::regex kNumeric(R"(\d+)");
    if (!std::regex_match(devid, kNumeric)) r.HelpDie("devid should be numeric");
    const std::string state = PerlTrue(Arg(args, "status")) ? Arg(args, "status") : "alive";
    auto added = r.NewAdmin().CreateDevice(hostname, devid, state);
    if (!added) {
      r.FailWith("Error adding device: ", added.error(),
                 {.host = "", .devid = devid, .states = "device"});
    }
    r.Ok("Device added.");
  }
  if (verb == "mark") {
    WarnOnDrain(r, args);
    auto updated = r.NewAdmin().SetDeviceState(hostname, devid, Arg(args, "status"));
    if (!updated) r.FailWith("Error updating device: ", updated.error(), {.states = "device"});
    r.Ok("Device updated.");
  }
  if (verb == "modify") {
    WarnOnDrain(r, args);
    client::Admin& admin = r.NewAdmin();
    if (PerlTrue(hostname) && PerlTrue(devid)) {
      if (PerlTrue(Arg(args, "status"))) {
        auto updated = admin.SetDeviceState(hostname, devid, Arg(args, "status"));
        if (!updated) r.FailWith("Error updating device: ", updated.error(), {.states = "device"});
      }
      if (PerlTrue(Arg(args, "weight"))) {
        auto weight = std::to_string(client::PerlInt(Arg(args, "weight")));
        auto updated = admin.SetDeviceWeight(hostname, devid, weight);
        if (!updated) r.FailWith("Error updating device: ", updated.error());
      }
    }
    r.Ok("Device updated.");
  }
  if (verb == "list" || verb == "summary") {
    auto hosts = r.NewAdmin().GetHosts();
    if (!hosts) r.FailText(kNoHosts);
    auto devices = r.NewAdmin().GetDevices();
    if (!devices) r.FailText(kNoDevices);
    std::optional<std::string> only;
    if (args.count("hostname")) only = args["hostname"];
    if (verb == "list") {
      r.out() << FormatDeviceList(*hosts, *devices, only, PerlTrue(Arg(args, "all")));
    } else {
      std::set<std::string> statuses;
      std::string wanted = PerlTrue(Arg(args, "status")) ? Arg(args, "status")
                                                         : "alive,readonly,drain";
      std::stringstream list(wanted);
      std::string item;
      while (std::getline(list, item, ',')) statuses.insert(item);
      r.out() << FormatDeviceSummary(*hosts, *devices, only, statuses);
    }
    r.Ok();
  }
  if (verb == "next") {
    auto devices = r.NewAdmin().GetDevices();
    if (!devices) r.FailWith("", devices.error());
    if (devices->empty()) r.FailText(kNoDevices);
    int64_t max = 0;
    for (const auto& d : *devices) max = std::max(max, client::PerlInt(d.devid));
    r.out() << max + 1 << "\n";
    r.Ok();
  }
}

}  // namespace mog::mogadm
