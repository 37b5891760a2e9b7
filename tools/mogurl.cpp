// mogurl: prints the by-key URL of a key as mogstored's web listener serves it
// (<base>/<domain>/<percent-encoded key>), signed with ?md5=…&expires=… when an anti-leech
// secret applies to the domain (the same link nginx's secure_link accepts).
//
//   mogurl --domain=D --key=K [--expires=SECONDS] [--base=http://host:port] [--secret=S]
//          [--conf=/etc/mogilefs/mogstored.conf]
//
// Without --base/--secret the values come from the mogstored.conf given by --conf (default
// /etc/mogilefs/mogstored.conf when it exists): weblisten, web_secret, web_secure_domains.
// Exit codes: 0 printed, 1 config file unreadable, 2 usage.
#include <ctime>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "common/config/config_file.h"
#include "storaged/web/secure_link.h"
#include <sys/stat.h>

namespace {

constexpr char kUsage[] =
    "Usage: mogurl --domain=DOMAIN --key=KEY [--expires=SECONDS] [--base=http://host:port]\n"
    "              [--secret=SECRET] [--conf=PATH]\n"
    "  Prints the web listener's URL for KEY; signed (md5, expires) when a web_secret\n"
    "  applies to DOMAIN. --expires: link lifetime in seconds (default 3600).\n"
    "  Defaults for --base and --secret come from mogstored.conf (weblisten, web_secret,\n"
    "  web_secure_domains); --conf picks the file (default /etc/mogilefs/mogstored.conf).\n";

int Usage(const std::string& why) {
  std::cerr << "mogurl: " << why << "\n" << kUsage;
  return 2;
}

bool Secured(const std::string& domains, const std::string& domain) {
  if (domains.find_first_not_of(" ,") == std::string::npos) return true;  // empty: every domain
  size_t pos = 0;
  while (pos <= domains.size()) {
    size_t end = domains.find(',', pos);
    if (end == std::string::npos) end = domains.size();
    std::string item = domains.substr(pos, end - pos);
    while (!item.empty() && item.front() == ' ') item.erase(0, 1);
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (item == domain) return true;
    pos = end + 1;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> opts;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (arg.rfind("--", 0) != 0) return Usage("unexpected argument '" + arg + "'");
    const size_t eq = arg.find('=');
    std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    std::string value;
    if (eq != std::string::npos) {
      value = arg.substr(eq + 1);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      return Usage("--" + name + " needs a value");
    }
    if (name != "domain" && name != "key" && name != "expires" && name != "base" &&
        name != "secret" && name != "conf") {
      return Usage("unknown option --" + name);
    }
    opts[name] = value;
  }
  if (opts["domain"].empty()) return Usage("--domain is required");
  if (opts["key"].empty()) return Usage("--key is required");
  long long lifetime = 3600;
  if (opts.count("expires")) {
    try {
      size_t used = 0;
      lifetime = std::stoll(opts["expires"], &used);
      if (used != opts["expires"].size() || lifetime <= 0) throw std::invalid_argument("");
    } catch (const std::exception&) {
      return Usage("--expires must be a positive number of seconds");
    }
  }

  std::map<std::string, std::string> conf;
  std::string path = opts["conf"];
  struct stat st {};
  if (path.empty() && ::stat("/etc/mogilefs/mogstored.conf", &st) == 0) {
    path = "/etc/mogilefs/mogstored.conf";
  }
  if (!path.empty() && !(opts.count("base") && opts.count("secret"))) {
    try {
      for (const auto& line : mog::ReadConfigFile(path, mog::ConfigDialect::kUtils)) {
        conf[line.key] = line.value;
      }
    } catch (const std::exception& e) {
      std::cerr << "mogurl: " << e.what() << "\n";
      return 1;
    }
  }
  std::string base = opts.count("base") ? opts["base"] : "";
  if (base.empty() && !conf["weblisten"].empty()) {
    std::string listen = conf["weblisten"];
    if (listen.rfind("0.0.0.0:", 0) == 0) listen.replace(0, 7, "127.0.0.1");
    base = "http://" + listen;
  }
  if (base.empty()) return Usage("no --base given and no weblisten in a mogstored.conf");
  while (!base.empty() && base.back() == '/') base.pop_back();
  const bool from_conf = !opts.count("secret");
  std::string secret = from_conf ? conf["web_secret"] : opts["secret"];
  if (from_conf && !secret.empty() && !Secured(conf["web_secure_domains"], opts["domain"])) {
    secret.clear();
  }
  const long long expires = static_cast<long long>(std::time(nullptr)) + lifetime;
  std::cout << base << mog::storage::web::ByKeyTarget(opts["domain"], opts["key"], secret, expires)
            << "\n";
  return 0;
}
