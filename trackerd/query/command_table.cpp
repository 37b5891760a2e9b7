#include "trackerd/query/command_table.h"

#include <exception>

#include "common/log/logging.h"

namespace mog::tracker {

CommandHandler CommandTable::Find(std::string_view verb) const {
  auto it = handlers_.find(verb);
  return it == handlers_.end() ? nullptr : it->second;
}

const CommandTable& CommandTable::Default() {
  static const CommandTable table = [] {
    CommandTable t;
    RegisterFileCommands(t);
    RegisterListCommands(t);
    RegisterDomainClassCommands(t);
    RegisterHostDeviceCommands(t);
    RegisterSettingsCommands(t);
    RegisterJobCommands(t);
    return t;
  }();
  return table;
}

std::string RunQuery(const CommandTable& table, Store& store, QueryServices& services,
                     const std::string& client_ip, std::string_view verb,
                     std::string_view raw_args) {
  RequestArgs args = DecodeArgs(raw_args);
  const std::optional<std::string> callid = args.GetOpt("callid");
  CommandHandler handler = verb.empty() ? nullptr : table.Find(verb);
  if (!handler) return EncodeErr(Errc::kUnknownCommand, "", callid);
  try {
    QueryContext ctx{store, services, args, client_ip, services.state->Snapshot()};
    CommandResult result = handler(ctx);
    if (result) return EncodeOk(*result, callid);
    const Error& e = result.error();
    if (e.code() == Errc::kDb || e.code() == Errc::kFailure || e.code() == Errc::kDup) {
      Logger("query")->warn("command {} failed: {} {}", verb, e.token(), e.message());
    }
    // An unhandled duplicate-key error is reported with upstream's fixed text (the SQL
    // detail stays in our log).
    if (e.code() == Errc::kDup) return EncodeErr(Errc::kDup, "", callid);
    return EncodeErr(e, callid);
  } catch (const std::exception& ex) {
    Logger("query")->error("Error running command '{}': {}", verb, ex.what());
    return EncodeErr(Errc::kFailure, "", callid);
  }
}

}  // namespace mog::tracker
