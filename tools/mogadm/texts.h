// mogadm's canned messages (upstream's `text()` table), printed by fail_text with an extra
// newline.
#pragma once

#include <string>

namespace mog::mogadm {

inline const std::string kNoMogadm =
    "Unable to access MogileFS tracker and/or instantiate a MogileFS::Admin object.\n";
inline const std::string kNoDomains = "Unable to retrieve domains from tracker(s).\n";
inline const std::string kNoDevices = "No devices found on tracker(s).\n";
inline const std::string kNoHosts = "Unable to retrieve host information from tracker(s).\n";
inline const std::string kHostAddNoIp =
    "Hostname does not resolve to an IP, and you didn't specify one on the options\n"
    "list.  Please either verify the host resolves, or try again:\n"
    "\n"
    "    mogadm host add <hostname> --ip=<ipaddr> [...]\n";
inline const std::string kNoTrackers =
    "In order to use the mogadm toolkit, you need to provide the information about\n"
    "where your trackers are.\n"
    "\n"
    "In your configuration file:\n"
    "\n"
    "    trackers = 10.10.0.33:7001, 10.10.0.34:7001\n"
    "\n"
    "Or on the command line\n"
    "\n"
    "    mogadm --trackers=10.10.0.33:7001,10.10.0.34:7001\n";

}  // namespace mog::mogadm
