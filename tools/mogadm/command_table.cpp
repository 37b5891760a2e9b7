#include "tools/mogadm/command_table.h"

#include <algorithm>

#include "tools/cli/sprintf.h"

namespace mog::mogadm {
namespace {

using cli::Sprintf;

const char* kHostStatus = "One of {alive,down,readonly}.";
const char* kDevStatus = "One of {alive,dead,down,drain,readonly}";
const char* kGetPort = "Alternate HTTP port serving readonly traffic";
const char* kAltIp = "Alternate IP that is machine is reachable from";
const char* kAltMask = "Netmask which, when matches client, uses alt IP";

std::map<std::string, TopCommand> BuildCommands() {
  std::map<std::string, TopCommand> c;
  c["check"] = {"Check the state of the MogileFS world.", {}};
  c["stats"] = {"Show MogileFS system statistics.  (DEPRECATED: use mogstats instead)", {}};
  c["settings"] = {"Change/list server settings.",
                   {{"list", {"List all server settings", "", {}}},
                    {"set", {"Set server setting 'key' to 'value'.", "<key> <value>", {}}}}};
  c["host"] = {
      "Add/modify hosts.",
      {{"list", {"List all hosts.", "", {}}},
       {"add",
        {"Add a host to MogileFS.",
         "<hostname> [opts]",
         {{"<hostname>", "Hostname of machine"},
          {"--status=s", "One of {alive,down,readonly}.  Default 'down'."},
          {"--ip=s", "IP address of machine."},
          {"--port=i", "HTTP port of mogstored"},
          {"--getport=i", kGetPort},
          {"--altip=s", kAltIp},
          {"--altmask=s", kAltMask}}}},
       {"modify",
        {"Modify a host's properties.",
         "<hostname> [opts]",
         {{"<hostname>", "Host name."},
          {"--status=s", kHostStatus},
          {"--ip=s", "IP address of machine."},
          {"--port=i", "HTTP port of mogstored"},
          {"--getport=i", kGetPort},
          {"--altip=s", kAltIp},
          {"--altmask=s", kAltMask}}}},
       {"mark",
        {"Change the status of a host.  (equivalent to 'modify --status')",
         "<hostname> <status>",
         {{"<hostname>", "Host name to bring up or down."}, {"<status>", kHostStatus}}}},
       {"delete", {"Delete a host.", "<hostname>", {{"<hostname>", "Host name to delete."}}}}}};
  c["device"] = {
      "Add/modify devices.",
      {{"list",
        {"List all devices, for each host.",
         "[opts]",
         {{"--all", "Include dead devices in list."},
          {"--hostname=s", "Limit results to a given host."}}}},
       {"summary",
        {"List the summary of devices, for each host.",
         "[opts]",
         {{"--status=s", "Devices of status A. Defaults to 'alive,readonly,drain'"},
          {"--hostname=s", "Limit results to a given host."}}}},
       {"add",
        {"Add a device to a host.",
         "<hostname> <devid> [opts]",
         {{"<hostname>", "Hostname to add a device"},
          {"<devid>", "Numeric devid.  Never reuse these."},
          {"--status=s", "One of 'alive' or 'down'.  Defaults to 'alive'."}}}},
       {"mark",
        {"Mark a device as {alive,dead,down,drain,readonly}",
         "<hostname> <devid> <status>",
         {{"<hostname>", "Hostname of device"},
          {"<devid>", "Numeric devid to modify."},
          {"<status>", kDevStatus}}}},
       {"modify",
        {"Modify a device's properties.",
         "<hostname> <devid> [opts]",
         {{"<hostname>", "Hostname of device"},
          {"<devid>", "Numeric devid to modify."},
          {"--status=s", kDevStatus},
          {"--weight=i", "Positive numeric weight for device"}}}},
       {"next", {"Show the next available devid.", "", {}}}}};
  c["domain"] = {
      "Add/modify domains (namespaces)",
      {{"list", {"List all domains.", "", {}}},
       {"add",
        {"Add a domain (namespace)", "<domain>", {{"<domain>", "Domain (namespace) to add."}}}},
       {"delete", {"Delete a domain.", "<domain>", {{"<domain>", "Domain (namespace) to add."}}}}}};
  const std::map<std::string, std::string> class_opts = {
      {"<domain>", "Domain to add class to."},
      {"<class>", "Name of class to add."},
      {"--mindevcount=i", "Minimum number of replicas."},
      {"--replpolicy=s", "Replication policy string."},
      {"--hashtype=s", "Hash algorithm string ('MD5', 'NONE')."}};
  c["class"] = {
      "Add/modify file classes.",
      {{"list", {"List all classes, for each domain.", "", {}}},
       {"add", {"Add a file class to a domain.", "<domain> <class> [opts]", class_opts}},
       {"modify", {"Modify properties of a file class.", "<domain> <class> [opts]", class_opts}},
       {"delete",
        {"Delete a file class from a domain.",
         "<domain> <class>",
         {{"<domain>", "Domain of class to delete."}, {"<class>", "Class to delete."}}}}}};
  const std::map<std::string, std::string> slave_opts = {
      {"--dsn=s", "DBI DSN specifying what database to connect to."},
      {"--username=s", "DBI username for connecting."},
      {"--password=s", "DBI password for connecting."}};
  c["slave"] = {"Manipulate slave database information in a running mogilefsd.",
                {{"list", {"List current store slave nodes.", "", {}}},
                 {"add", {"Add a slave node for store usage", "<slave_key> [opts]", slave_opts}},
                 {"modify",
                  {"Modify a slave node for store usage", "<slave_key> [opts]", slave_opts}},
                 {"delete", {"Delete a slave node for store usage", "<slave_key>", {}}}}};
  c["rebalance"] = {
      "Control file rebalancing operations.",
      {{"start", {"Start a rebalance job", "", {}}},
       {"stop", {"Stop a rebalance job", "", {}}},
       {"status", {"Show status of current rebalance job", "", {}}},
       {"settings", {"Display rebalance settings", "", {}}},
       {"test", {"Show what devices the current policy would match", "", {}}},
       {"reset", {"Reset an existing policy", "", {}}},
       {"policy",
        {"Add or adjust the current policy",
         "[opts]",
         {{"--options=s",
           "Policy string, e.g. \"from_devices=3\" (see docs/ARCHITECTURE.md, Rebalance and "
           "drain)"}}}}}};
  c["fsck"] = {
      "Control a background filesystem check operation.",
      {{"start", {"Start (or resume) background fsck", "", {}}},
       {"stop", {"Stop (pause) background fsck", "", {}}},
       {"status", {"Show fsck status", "", {}}},
       {"reset",
        {"Reset fsck position back to the beginning",
         "[opts]",
         {{"--policy-only", "Check repl policy (assumed locations); don't stat storage nodes"},
          {"--startpos=i", "FID to start at."}}}},
       {"clearlog", {"Clear the fsck log", "", {}}},
       {"printlog", {"Display the fsck log", "", {}}},
       {"taillog", {"Tail the fsck log", "", {}}}}};
  return c;
}

}  // namespace

const std::vector<std::string>& TopCommandOrder() {
  static const std::vector<std::string> order = {"check", "stats", "host",      "device", "domain",
                                                 "class", "slave", "fsck", "rebalance", "settings"};
  return order;
}

const std::map<std::string, TopCommand>& Commands() {
  static const std::map<std::string, TopCommand> commands = BuildCommands();
  return commands;
}

std::string UsageText() {
  std::string out = "Usage:  (enter any command prefix, leaving off options, for further help)\n\n";
  for (const std::string& name : TopCommandOrder()) {
    const TopCommand& cmd = Commands().at(name);
    if (cmd.verbs.empty()) {
      out += Sprintf("  mogadm %-25s %-s\n", name.c_str(), cmd.description.c_str());
      continue;
    }
    out += "  mogadm " + name + " ...\n";
    for (const auto& [verb, spec] : cmd.verbs) {
      const std::string label = name + " " + verb + " " + (spec.args.empty() ? "" : "...");
      out += "       " + Sprintf("  %-25s %-s\n", label.c_str(), spec.description.c_str());
    }
  }
  // Ours: upstream's usage does not say where the trackers come from.
  return out +
         "\n"
         "Global options (before the command): --trackers=host:port[,host:port] --config=<file>\n"
         "  --verbose --help. Config files (trackers = host:port, ...): "
         "/etc/mogilefs/mogilefs.conf,\n"
         "  ~/.mogilefs.conf, --config=<file> (the first file that sets a key wins).\n\n";
}

std::string TopCommandHelp(const std::string& cmd, const std::string& verb,
                           const std::string& msg) {
  std::string out;
  if (!msg.empty()) out += "\nERROR: " + msg + "\n\n";
  out += "Help for '" + cmd + (verb.empty() ? "" : "-" + verb) + "' command:\n";
  if (verb.empty()) out += " (enter any command prefix, leaving off options, for further help)\n";
  out += "\n";
  const TopCommand& top = Commands().at(cmd);
  for (const auto& [name, spec] : top.verbs) {
    if (!verb.empty() && verb != name) continue;
    const std::string label = "mogadm " + cmd + " " + name + " " + spec.args;
    out += Sprintf("  %-50s %-s\n", label.c_str(), spec.description.c_str());
  }
  out += "\n";
  if (!verb.empty()) {
    const VerbSpec& spec = top.verbs.at(verb);
    std::vector<std::string> names;
    for (const auto& [opt, desc] : spec.opts) names.push_back(opt);
    // Upstream's order: by first character descending ('<' before '-'), then by name.
    std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
      if (a[0] != b[0]) return a[0] > b[0];
      return a < b;
    });
    for (const std::string& opt : names) {
      out += Sprintf("      %-20s %s\n", opt.c_str(), spec.opts.at(opt).c_str());
    }
    out += "\n";
  }
  return out;
}

}  // namespace mog::mogadm
