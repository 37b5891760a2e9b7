// The file life cycle over the raw protocol with real storage nodes: create_open -> HTTP PUT
// -> create_close -> get_paths -> HTTP GET, list_keys paging, rename, delete, and every
// create_close refusal (tracker.md §2.2).
#include <openssl/evp.h>

#include <regex>

#include "common/protocol/url_codec.h"
#include "tests/integration/trackerd/tracker_fixture.h"

namespace mog::test {
namespace {

struct UrlParts {
  std::string ip;
  uint16_t port = 0;
  std::string path;
};

UrlParts SplitUrl(const std::string& url) {
  static const std::regex re(R"(^http://([0-9.]+):(\d+)(/.*)$)");
  std::smatch m;
  UrlParts p;
  if (std::regex_match(url, m, re)) {
    p.ip = m[1];
    p.port = static_cast<uint16_t>(std::stoi(m[2]));
    p.path = m[3];
  }
  return p;
}

HttpResponse Put(const std::string& url, const std::string& body) {
  UrlParts u = SplitUrl(url);
  return HttpExchange(u.ip, u.port,
                      "PUT " + u.path + " HTTP/1.0\r\nContent-Length: " +
                          std::to_string(body.size()) + "\r\n\r\n" + body);
}

HttpResponse Get(const std::string& url) {
  UrlParts u = SplitUrl(url);
  return HttpExchange(u.ip, u.port, "GET " + u.path + " HTTP/1.0\r\n\r\n");
}

std::string Md5Hex(const std::string& data) {
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), d, &len, EVP_md5(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    const unsigned char c = d[i];
    out.push_back(hex[c >> 4]);
    out.push_back(hex[c & 15]);
  }
  return out;
}

class FileTest : public TrackerTest {
 protected:
  void SetUp() override {
    TrackerTest::SetUp();
    domain_ = Unique("files");
    ASSERT_TRUE(Call("create_domain", {{"domain", domain_}}).ok);
  }

  // create_open + PUT; returns the open reply.
  Reply OpenAndPut(const std::string& key, const std::string& body) {
    Reply open = Call("create_open", {{"domain", domain_}, {"key", key}});
    EXPECT_TRUE(open.ok) << open.errcode << " " << open.errstr;
    if (open.ok) {
      HttpResponse put = Put(open.args.Get("path"), body);
      EXPECT_GE(put.status, 200);
      EXPECT_LT(put.status, 300);
    }
    return open;
  }

  Reply Close(const Reply& open, const std::string& key, const std::string& size,
              const ArgList& extra = {}) {
    ArgList args{{"domain", domain_},
                 {"fid", open.args.Get("fid")},
                 {"devid", open.args.Get("devid")},
                 {"path", open.args.Get("path")},
                 {"key", key},
                 {"size", size}};
    args.insert(args.end(), extra.begin(), extra.end());
    return Call("create_close", args);
  }

  void Store(const std::string& key, const std::string& body) {
    Reply open = OpenAndPut(key, body);
    Reply close = Close(open, key, std::to_string(body.size()));
    ASSERT_TRUE(close.ok) << close.errcode << " " << close.errstr;
  }

  std::string domain_;
};

TEST_F(FileTest, UploadThenReadBackByteExact) {
  std::string body = "hello \x00\xff world\r\n";
  body += std::string(100000, 'z');
  Reply open = OpenAndPut("a/b c.txt", body);
  ASSERT_TRUE(open.ok);
  const std::string fid = open.args.Get("fid");
  const std::string devid = open.args.Get("devid");
  EXPECT_TRUE(std::regex_match(open.args.Get("path"),
                               std::regex("http://127\\.0\\.0\\.\\d+:\\d+/dev" + devid +
                                          "/\\d/\\d{3}/\\d{3}/\\d{10}\\.fid")))
      << open.args.Get("path");
  Reply close = Close(open, "a/b c.txt", std::to_string(body.size()));
  ASSERT_TRUE(close.ok) << close.errcode << " " << close.errstr;
  EXPECT_TRUE(close.args.empty());

  Reply paths = Call("get_paths", {{"domain", domain_}, {"key", "a/b c.txt"}});
  ASSERT_TRUE(paths.ok);
  ASSERT_EQ(paths.args.Get("paths"), "1");
  HttpResponse got = Get(paths.args.Get("path1"));
  EXPECT_EQ(got.status, 200);
  EXPECT_TRUE(got.body == body) << "body differs";

  Reply info = Call("file_info", {{"domain", domain_}, {"key", "a/b c.txt"}, {"devices", "1"}});
  ASSERT_TRUE(info.ok);
  EXPECT_EQ(info.args.Get("fid"), fid);
  EXPECT_EQ(info.args.Get("length"), std::to_string(body.size()));
  EXPECT_EQ(info.args.Get("devcount"), "1");
  EXPECT_EQ(info.args.Get("class"), "default");
  EXPECT_EQ(info.args.Get("domain"), domain_);
  EXPECT_EQ(info.args.Get("devids"), devid);
  EXPECT_FALSE(info.args.Has("checksum"));

  Reply debug = Call("file_debug", {{"fid", fid}});
  ASSERT_TRUE(debug.ok);
  EXPECT_EQ(debug.args.Get("fid_dkey"), "a/b c.txt");
  EXPECT_EQ(debug.args.Get("checksum"), "NONE");
  EXPECT_EQ(debug.args.Get("devids"), devid);
  EXPECT_EQ(debug.args.Get("replqueue_fid"), fid);  // queued for replication

  EXPECT_EQ(Raw("get_paths domain=" + domain_ + "&key=nope"), "ERR unknown_key unknown_key\r\n");
  EXPECT_EQ(Raw("get_paths domain=" + domain_), "ERR no_key no_key\r\n");
  EXPECT_EQ(Raw("get_paths key=x"), "ERR no_domain No+domain+provided\r\n");
  EXPECT_EQ(Raw("get_paths domain=nosuch_dom&key=x"),
            "ERR unreg_domain Domain+name+invalid/not+found\r\n");
}

TEST_F(FileTest, MultiDestOpenOffersDistinctHosts) {
  Reply open = Call("create_open", {{"domain", domain_}, {"key", "m"}, {"multi_dest", "1"}});
  ASSERT_TRUE(open.ok) << open.errcode;
  EXPECT_EQ(open.args.Get("dev_count"), "2");
  EXPECT_NE(SplitUrl(open.args.Get("path_1")).ip, SplitUrl(open.args.Get("path_2")).ip);
  EXPECT_EQ(Raw("create_open domain=" + domain_ + "&class=nosuch"),
            "ERR unreg_class unreg_class\r\n");
}

TEST_F(FileTest, ListKeysPagesInOrder) {
  for (const char* k : {"k1", "k2", "k3", "other"}) Store(k, k);
  Reply first = Call("list_keys", {{"domain", domain_}, {"prefix", "k"}, {"limit", "2"}});
  ASSERT_TRUE(first.ok);
  EXPECT_EQ(first.args.Get("key_count"), "2");
  EXPECT_EQ(first.args.Get("key_1"), "k1");
  EXPECT_EQ(first.args.Get("key_2"), "k2");
  EXPECT_EQ(first.args.Get("next_after"), "k2");
  Reply second = Call("list_keys", {{"domain", domain_},
                                    {"prefix", "k"},
                                    {"after", first.args.Get("next_after")},
                                    {"limit", "2"}});
  ASSERT_TRUE(second.ok);
  EXPECT_EQ(second.args.Get("key_count"), "1");
  EXPECT_EQ(second.args.Get("key_1"), "k3");
  EXPECT_EQ(Raw("list_keys domain=" + domain_ + "&prefix=k&after=k3"),
            "ERR none_match No+keys+match+that+pattern+and+after-value+%28if+any%29.\r\n");
  EXPECT_EQ(Raw("list_keys domain=" + domain_ + "&prefix=k&after=zz"),
            "ERR after_mismatch Pattern+does+not+match+the+after-value%3F\r\n");

  Reply fids = Call("list_fids", {{"from", "0"}, {"to", "500"}});
  ASSERT_TRUE(fids.ok);
  EXPECT_GE(std::atoi(fids.args.Get("fid_count").c_str()), 4);
}

TEST_F(FileTest, RenameAndDelete) {
  Store("old", "payload");
  Store("taken", "other");
  EXPECT_EQ(Raw("rename domain=" + domain_ + "&from_key=old"), "ERR no_key no_key\r\n");
  EXPECT_EQ(Raw("rename domain=" + domain_ + "&from_key=nope&to_key=x"),
            "ERR unknown_key unknown_key\r\n");
  EXPECT_EQ(Raw("rename domain=" + domain_ + "&from_key=old&to_key=taken"),
            "ERR key_exists Target+key+name+already+exists%3B+can%27t+overwrite.\r\n");
  EXPECT_EQ(Raw("rename domain=" + domain_ + "&from_key=old&to_key=new"), "OK \r\n");
  Reply paths = Call("get_paths", {{"domain", domain_}, {"key", "new"}});
  ASSERT_TRUE(paths.ok);
  EXPECT_EQ(Get(paths.args.Get("path1")).body, "payload");

  EXPECT_EQ(Raw("delete domain=" + domain_ + "&key=new"), "OK \r\n");
  EXPECT_EQ(Raw("delete domain=" + domain_ + "&key=new"), "ERR unknown_key unknown_key\r\n");
  EXPECT_EQ(Raw("get_paths domain=" + domain_ + "&key=new"), "ERR unknown_key unknown_key\r\n");
}

TEST_F(FileTest, OverwritingAKeyReplacesItsFid) {
  Store("same", "first");
  Store("same", "second version");
  Reply paths = Call("get_paths", {{"domain", domain_}, {"key", "same"}});
  ASSERT_TRUE(paths.ok);
  EXPECT_EQ(Get(paths.args.Get("path1")).body, "second version");
}

TEST_F(FileTest, CreateCloseRefusals) {
  const std::string body = "0123456789";
  Reply open = OpenAndPut("c", body);
  ASSERT_TRUE(open.ok);
  EXPECT_EQ(Raw("create_close domain=" + domain_ + "&devid=1&path=x"), "ERR no_fid no_fid\r\n");
  EXPECT_EQ(Raw("create_close domain=" + domain_ + "&fid=1&path=x"), "ERR no_devid no_devid\r\n");
  EXPECT_EQ(Raw("create_close domain=" + domain_ + "&fid=1&devid=1"), "ERR no_path no_path\r\n");
  Reply bad_sum = Close(open, "c", "10", {{"checksum", "MD5:xyz"}});
  EXPECT_EQ(bad_sum.errcode, "invalid_checksum_format");
  Reply bogus = Call("create_close", {{"domain", domain_},
                                      {"fid", open.args.Get("fid")},
                                      {"devid", open.args.Get("devid")},
                                      {"path", open.args.Get("path") + "x"},
                                      {"key", "c"}});
  EXPECT_EQ(bogus.errcode, "bogus_args");

  Reply mismatch = Close(open, "c", "11");
  EXPECT_EQ(mismatch.errcode, "size_mismatch");
  EXPECT_EQ(mismatch.errstr,
            "Expected: 11; actual: 10; path: " + open.args.Get("path"));
  // The tempfile is gone: retrying is no_temp_file.
  EXPECT_EQ(Close(open, "c", "10").errcode, "no_temp_file");
  EXPECT_EQ(Raw("get_paths domain=" + domain_ + "&key=c"), "ERR unknown_key unknown_key\r\n");

  Reply open2 = OpenAndPut("d", body);
  Reply sum = Close(open2, "d", "10",
                    {{"checksum", "MD5:" + Md5Hex("not the body")}, {"checksumverify", "1"}});
  EXPECT_EQ(sum.errcode, "checksum_mismatch");
  EXPECT_NE(sum.errstr.find("actual: MD5:" + Md5Hex(body)), std::string::npos) << sum.errstr;

  Reply open3 = OpenAndPut("e", body);
  Reply good = Close(open3, "e", "10",
                     {{"checksum", "MD5:" + Md5Hex(body)}, {"checksumverify", "1"}});
  EXPECT_TRUE(good.ok) << good.errcode << " " << good.errstr;

  // A file never PUT: the HEAD finds nothing.
  Reply open4 = Call("create_open", {{"domain", domain_}, {"key", "f"}});
  ASSERT_TRUE(open4.ok);
  Reply missing = Close(open4, "f", "10");
  EXPECT_EQ(missing.errcode, "size_verify_error");
  EXPECT_NE(missing.errstr.find("(missing)"), std::string::npos) << missing.errstr;

  // Closing without a key cancels the upload and answers OK.
  Reply open5 = OpenAndPut("g", body);
  EXPECT_TRUE(Close(open5, "", "10").ok);
}

TEST_F(FileTest, UpdateClassAndEmptyFile) {
  ASSERT_TRUE(Call("create_class", {{"domain", domain_}, {"class", "one"}, {"mindevcount", "1"}}).ok);
  Store("empty", "");
  Reply info = Call("file_info", {{"domain", domain_}, {"key", "empty"}});
  ASSERT_TRUE(info.ok);
  EXPECT_EQ(info.args.Get("length"), "0");
  EXPECT_EQ(Raw("updateclass domain=" + domain_ + "&key=empty"), "ERR no_class No+class+provided\r\n");
  EXPECT_EQ(Raw("updateclass domain=" + domain_ + "&key=empty&class=nope"),
            "ERR class_not_found Class+not+found\r\n");
  EXPECT_EQ(Raw("updateclass domain=" + domain_ + "&key=nokey&class=one"),
            "ERR invalid_key invalid_key\r\n");
  EXPECT_EQ(Raw("updateclass domain=" + domain_ + "&key=empty&class=one"), "OK \r\n");
  EXPECT_EQ(Call("file_info", {{"domain", domain_}, {"key", "empty"}}).args.Get("class"), "one");
}

}  // namespace
}  // namespace mog::test
