// mogadm's command table: every top command and verb with its argument list, options and
// description, exactly as MogileFS-Utils 2.30 prints them in its help screens.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace mog::mogadm {

struct VerbSpec {
  std::string description;
  std::string args;                           // e.g. "<hostname> <devid> [opts]"; "" = none
  std::map<std::string, std::string> opts;    // "<hostname>" / "--status=s" -> description
};

struct TopCommand {
  std::string description;
  std::map<std::string, VerbSpec> verbs;      // empty for check/stats
};

// Top commands in upstream's display order.
const std::vector<std::string>& TopCommandOrder();
const std::map<std::string, TopCommand>& Commands();

// The screen printed for no/unknown command (stdout, exit 1).
std::string UsageText();
// "Help for '<cmd>[-<verb>]' command:" screen, with "ERROR: <msg>" first when msg is given.
std::string TopCommandHelp(const std::string& cmd, const std::string& verb,
                           const std::string& msg);

}  // namespace mog::mogadm
