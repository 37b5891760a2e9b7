// Internal state of one mogadm run, shared by the per-noun command files.
#pragma once

#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "tools/cli/error_text.h"
#include "client/admin.h"
#include "client/tracker_connection.h"

namespace mog::mogadm {

// Thrown to end the run with a status (upstream calls exit() from deep inside).
struct Exit {
  int code;
};

// A refused command line (unknown command, verb or option, missing argument): exit 2.
inline constexpr int kUsageExit = 2;

using CommandArgs = std::map<std::string, std::string>;

class Runner {
 public:
  Runner(std::ostream& out, std::ostream& err) : out_(out), err_(err) {}

  std::ostream& out() { return out_; }
  std::ostream& err() { return err_; }

  std::vector<std::string> trackers;
  int timeout_seconds = 15;
  bool verbose = false;
  std::string topcmd, verb;

  // A fresh Admin per call site, as upstream's mogadm() (on all trackers or just one).
  client::Admin& NewAdmin(const std::optional<std::string>& only_tracker = std::nullopt);

  [[noreturn]] void Ok(const std::string& message = {});
  [[noreturn]] void Fail(const std::string& message);
  [[noreturn]] void FailText(const std::string& text);
  // An uncaught croak: "MogileFS::Backend: <text>" on stderr, status 255.
  [[noreturn]] void Die(const std::string& message);
  [[noreturn]] void HelpDie(const std::string& message = {});
  // Fails with `prefix + errstr` for tracker errors; transport errors die like croak.
  // `context` names what the request was about (tools/cli/error_text.h).
  [[noreturn]] void FailWith(const std::string& prefix, const client::ClientError& error,
                             const cli::ErrorContext& context = {});

 private:
  std::ostream& out_;
  std::ostream& err_;
  std::vector<std::unique_ptr<client::TrackerConnection>> connections_;
  std::vector<std::unique_ptr<client::Admin>> admins_;
};

// Per-noun command handlers (commands_*.cpp).
void CheckCommand(Runner& r);
void HostCommand(Runner& r, const std::string& verb, CommandArgs& args);
void DeviceCommand(Runner& r, const std::string& verb, CommandArgs& args);
void DomainClassCommand(Runner& r, const std::string& verb, CommandArgs& args);
void SlaveSettingsCommand(Runner& r, const std::string& verb, CommandArgs& args);
void FsckRebalanceCommand(Runner& r, const std::string& verb, CommandArgs& args);

}  // namespace mog::mogadm
