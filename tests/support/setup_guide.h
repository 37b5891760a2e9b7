// The config files of the set-up guide our operators follow (issue 9): part 1 (one tracker,
// MySQL on the tracker's host, two storage nodes) and part 2 (MySQL primary/replica behind the
// VIP 192.168.30.100, a tracker on every node). The guide itself is not in this repository:
// these texts hold the guide's lines quoted in issue 9 byte for byte (the DSNs, `listen = ...
// #mogilefs监听地址...`, `query_jobs = 10   #启动多少个查询工作线程`, the storage keys copied into
// mogilefsd.conf) around the sample mogilefsd.conf of upstream's packages that such guides copy,
// with comments in the guide's style. Tests write them with only addresses, ports and paths
// replaced (ReplaceAll), comments included.
#pragma once

#include <string>
#include <string_view>

namespace mog::test::guide {

// Part 1: /etc/mogilefs/mogilefsd.conf on the tracker 192.168.30.107. The guide copies the
// storage keys into it as well; mogilefsd warns about them (file and line) and goes on.
inline constexpr std::string_view kPart1TrackerConf =
    "# Enable daemon mode to work in background and use syslog\n"
    "daemonize = 1\n"
    "# Where to store the pid of the daemon (must be the same in the init script)\n"
    "pidfile = /var/run/mogilefsd/mogilefsd.pid\n"
    "# Database connection information\n"
    "db_dsn = DBI:mysql:mogilefs:host=127.0.0.1\n"
    "db_user = moguser\n"
    "db_pass = mogpass\n"
    "# IP:PORT to listen on for mogilefs client requests\n"
    "listen = 192.168.30.107:7001 #mogilefs监听地址，监听在127.0.0.1表示只允许从本机登录进行管理\n"
    "# Optional, if you don't define the port above.\n"
    "conf_port = 7001\n"
    "# Number of query workers to start by default.\n"
    "query_jobs = 10   #启动多少个查询工作线程\n"
    "# Number of delete workers to start by default.\n"
    "delete_jobs = 1   #启动多少个删除工作线程\n"
    "# Number of replicate workers to start by default.\n"
    "replicate_jobs = 5   #启动多少个复制工作线程\n"
    "# Number of reaper workers to start by default.\n"
    "# (you don't usually need to increase this)\n"
    "reaper_jobs = 1\n"
    "maxconns = 10000   #存储节点最大并发连接数\n"
    "httplisten = 0.0.0.0:7500   #http监听地址\n"
    "mgmtlisten = 0.0.0.0:7501   #管理接口监听地址\n"
    "docroot = /data/mogdata   #用于存储的目录\n";

// Part 1: /etc/mogilefs/mogstored.conf on each storage node (192.168.30.108, 192.168.30.109).
inline constexpr std::string_view kPart1StorageConf =
    "maxconns = 10000   #存储节点最大并发连接数\n"
    "httplisten = 0.0.0.0:7500   #http监听地址\n"
    "mgmtlisten = 0.0.0.0:7501   #管理接口监听地址\n"
    "docroot = /data/mogdata   #用于存储的目录\n";

// Part 1: /etc/mogilefs/mogilefs.conf, read by mogupload, mogfileinfo, mogdelete, ...
inline constexpr std::string_view kToolsConf = "trackers = 192.168.30.107:7001\n";

// Part 2: /etc/mogilefs/mogilefsd.conf on every node; the database is the VIP's.
inline constexpr std::string_view kPart2TrackerConf =
    "daemonize = 1\n"
    "pidfile = /var/run/mogilefsd/mogilefsd.pid\n"
    "db_dsn = DBI:mysql:mogilefs:host=192.168.30.100   #VIP, 指向主库\n"
    "db_user = moguser\n"
    "db_pass = mogpass\n"
    "listen = 192.168.30.108:7001 #mogilefs监听地址\n"
    "conf_port = 7001\n"
    "query_jobs = 10   #启动多少个查询工作线程\n"
    "delete_jobs = 1\n"
    "replicate_jobs = 5\n"
    "reaper_jobs = 1\n";

inline std::string ReplaceAll(std::string text, std::string_view from, std::string_view to) {
  for (size_t pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

}  // namespace mog::test::guide
