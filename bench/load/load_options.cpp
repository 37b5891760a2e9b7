#include "bench/load/load_options.h"

#include <string>
#include <vector>

#include "common/config/option_table.h"

namespace mog::bench {
namespace {

OptionSpec Value(std::string name, std::string default_value, std::string help,
                 std::vector<std::string> aliases = {}) {
  OptionSpec spec;
  spec.name = std::move(name);
  spec.aliases = std::move(aliases);
  spec.kind = OptionKind::kValue;
  spec.default_value = std::move(default_value);
  spec.help = std::move(help);
  spec.in_config_file = false;
  return spec;
}

OptionSpec Flag(std::string name, std::string alias, std::string help) {
  OptionSpec spec = Value(std::move(name), "", std::move(help), {std::move(alias)});
  spec.kind = OptionKind::kFlag;
  return spec;
}

const OptionTable& Table() {
  static const OptionTable table(
      "http_load",
      {
          Value("url-list", "", "file with one http://host:port/path URL per line"),
          Value("host", "127.0.0.1", "host for --path-template"),
          Value("port", "", "port for --path-template"),
          Value("path-template", "",
                "request path; {n} = request number, {fid} = b/mmm/ttt/NNNNNNNNNN.fid of it"),
          Value("template-start", "0", "first number for the template"),
          Value("template-count", "0", "numbers wrap after this many (0 = never)"),
          Value("method", "GET", "GET or PUT"),
          Value("concurrency", "1", "parallel keep-alive connections", {"c"}),
          Value("threads", "1", "event-loop threads"),
          Value("requests", "0", "total requests (0 = until --duration)", {"n"}),
          Value("duration", "0", "seconds to keep starting requests"),
          Value("timeout", "60", "seconds without progress = failure"),
          Value("max-seconds", "900", "hard cap on the whole run"),
          Value("body-size", "0", "PUT body bytes"),
          Value("expect-size", "", "GET: required Content-Length of 2xx responses"),
          Value("recv-buffer", "262144", "receive buffer bytes"),
          Flag("quiet", "q", "print only the RESULT line"),
          Flag("help", "h", "this text"),
      });
  return table;
}

double GetDouble(const OptionTable& table, const Settings& settings, const std::string& name) {
  const std::string text = table.Get(settings, name);
  try {
    size_t used = 0;
    double v = std::stod(text, &used);
    if (used != text.size()) throw std::invalid_argument(text);
    return v;
  } catch (const std::exception&) {
    throw ConfigError("Option " + name + " must be a number, got '" + text + "'");
  }
}

uint64_t GetCount(const OptionTable& table, const Settings& settings, const std::string& name) {
  long long v = table.GetInt(settings, name);
  if (v < 0) throw ConfigError("Option " + name + " must not be negative");
  return static_cast<uint64_t>(v);
}

}  // namespace

std::string LoadOptionsHelp() {
  return Table().Help() +
         "\nEither --url-list, or --port and --path-template. At least one of --requests and\n"
         "--duration bounds the run. Prints a summary and a machine-readable RESULT line.\n"
         "Exit status: 0 every request succeeded, 1 some failed, 2 bad usage.\n";
}

LoadOptions ParseLoadOptions(int argc, const char* const* argv, bool* help) {
  const OptionTable& table = Table();
  Settings s = table.ParseCommandLine(argc, argv);
  *help = table.GetBool(s, "help");
  LoadOptions o;
  if (*help) return o;

  const std::string method = table.Get(s, "method");
  if (method == "GET") {
    o.method = Method::kGet;
  } else if (method == "PUT") {
    o.method = Method::kPut;
  } else {
    throw ConfigError("--method must be GET or PUT, got '" + method + "'");
  }
  o.url_list = table.Get(s, "url-list");
  o.host = table.Get(s, "host");
  o.path_template = table.Get(s, "path-template");
  if (o.url_list.empty() == o.path_template.empty()) {
    throw ConfigError("give either --url-list or --path-template (with --port)");
  }
  if (!o.path_template.empty()) {
    long long port = table.GetInt(s, "port");
    if (port <= 0 || port > 65535) throw ConfigError("--port must be 1..65535");
    o.port = static_cast<uint16_t>(port);
  }
  o.template_start = GetCount(table, s, "template-start");
  o.template_count = GetCount(table, s, "template-count");
  long long concurrency = table.GetInt(s, "concurrency");
  if (concurrency < 1 || concurrency > 10000) throw ConfigError("--concurrency must be 1..10000");
  o.concurrency = static_cast<int>(concurrency);
  long long threads = table.GetInt(s, "threads");
  if (threads < 1 || threads > 64) throw ConfigError("--threads must be 1..64");
  o.threads = static_cast<int>(threads);
  o.requests = GetCount(table, s, "requests");
  o.duration_s = GetDouble(table, s, "duration");
  o.timeout_s = GetDouble(table, s, "timeout");
  o.max_seconds = GetDouble(table, s, "max-seconds");
  if (o.duration_s < 0 || o.timeout_s <= 0 || o.max_seconds <= 0) {
    throw ConfigError("--duration must be >= 0, --timeout and --max-seconds > 0");
  }
  if (o.requests == 0 && o.duration_s == 0) {
    throw ConfigError("bound the run with --requests and/or --duration");
  }
  o.body_size = GetCount(table, s, "body-size");
  if (o.method == Method::kGet && o.body_size != 0) {
    throw ConfigError("--body-size applies to PUT only");
  }
  if (s.Has("expect-size")) o.expect_size = GetCount(table, s, "expect-size");
  o.recv_buffer = GetCount(table, s, "recv-buffer");
  if (o.recv_buffer < 4096 || o.recv_buffer > (64u << 20)) {
    throw ConfigError("--recv-buffer must be 4096..67108864");
  }
  o.quiet = table.GetBool(s, "quiet");
  return o;
}

}  // namespace mog::bench
