// Headless Chromium (Debian's `chromium`) on a page from another origin (file://) whose images
// and video come by key from the web listener, directly and through the sample nginx site:
// 20 images (JPEG/PNG/WebP, made here with ffmpeg) must decode (naturalWidth > 0), a short
// MP4 must seek to its last second and play to the end, and a second visit with the same
// profile (the domain's Cache-Control makes the browser revalidate) must be answered
// with 304s, read from Chromium's own net log. A screenshot is left in the test's temp dir.
#include <fstream>
#include <regex>

#include <gtest/gtest.h>

#include "tests/integration/web/web_test_util.h"

namespace mog::test::web {
namespace {

constexpr char kChromium[] = "/usr/bin/chromium";
constexpr char kFfmpeg[] = "/usr/bin/ffmpeg";
const std::string kAuth = "Authorization: Bearer tok\r\n";

std::vector<std::string> ChromiumFlags(const std::string& profile) {
  return {kChromium,
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--user-data-dir=" + profile,
          "--autoplay-policy=no-user-gesture-required",
          "--mute-audio",
          "--window-size=1280,900"};
}

// Makes the media with ffmpeg; returns {key, file} pairs.
std::vector<std::pair<std::string, std::string>> MakeMedia(const std::string& dir) {
  std::vector<std::pair<std::string, std::string>> out;
  const char* sources[] = {"testsrc", "rgbtestsrc", "smptebars", "testsrc2"};
  for (int i = 0; i < 20; ++i) {
    const char* ext = i % 3 == 0 ? "jpg" : i % 3 == 1 ? "png" : "webp";
    const std::string name = "img " + std::to_string(i) + "." + ext;
    const std::string file = dir + "/" + name;
    const std::string size = std::to_string(96 + 8 * i) + "x" + std::to_string(72 + 6 * i);
    std::vector<std::string> argv = {kFfmpeg,
                                     "-hide_banner",
                                     "-loglevel",
                                     "error",
                                     "-y",
                                     "-f",
                                     "lavfi",
                                     "-i",
                                     std::string(sources[i % 4]) + "=size=" + size,
                                     "-frames:v",
                                     "1"};
    if (std::string(ext) == "webp") argv.insert(argv.end(), {"-c:v", "libwebp"});
    argv.push_back(file);
    if (RunCommand(argv).exit_code != 0) return {};
    out.emplace_back("grid/" + name, file);
  }
  const std::string video = dir + "/clip.mp4";
  if (RunCommand({kFfmpeg, "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                  "testsrc=size=320x240:rate=25", "-t", "4", "-c:v", "libx264", "-pix_fmt",
                  "yuv420p", "-movflags", "+faststart", video})
          .exit_code != 0) {
    return {};
  }
  out.emplace_back("video/clip.mp4", video);
  return out;
}

std::string EncodeKey(const std::string& key) {
  std::string out;
  for (char c : key) out += c == ' ' ? std::string("%20") : std::string(1, c);
  return out;
}

// The page: loads every image, then seeks the video to its last second and plays it to the
// end; writes one RESULT line into <pre id=result>.
std::string WritePage(const std::string& dir, const std::string& base,
                      const std::vector<std::pair<std::string, std::string>>& media) {
  std::ostringstream page;
  page << "<!doctype html><html><head><meta charset=utf-8><title>by key</title>"
       << "<style>img{width:120px;height:90px;margin:2px}video{width:320px}</style></head><body>"
       << "<div id=grid></div><video id=v muted playsinline preload=auto src=\"" << base
       << "/shop/video/clip.mp4\"></video><pre id=result>PENDING</pre><script>\n"
       << "const urls = [";
  for (const auto& [key, file] : media) {
    if (key.rfind("grid/", 0) == 0) page << "'" << base << "/shop/" << EncodeKey(key) << "',";
  }
  page << "];\n"
       << R"JS(
function loadImage(u) {
  return new Promise(done => {
    const img = new Image();
    img.onload = () => done(img.naturalWidth > 0 ? 1 : 0);
    img.onerror = () => done(0);
    img.src = u;
    document.getElementById('grid').appendChild(img);
  });
}
// Headless Chromium runs timers on virtual time while media plays in real time, so the page
// waits by fetching (virtual time stands still during a fetch): bounded, no setTimeout.
async function waitReal(done, max) {
  for (let i = 0; i < max && !done(); ++i) {
    await fetch(urls[0] + '?ping=' + i, {cache: 'no-store'}).catch(() => {});
  }
}
async function playEnd() {
  const v = document.getElementById('v');
  let state = '', sought = false;
  v.onerror = () => { state = 'error ' + (v.error && v.error.code); };
  // Played from the last second to the end ('ended', or the clock at the end).
  const finish = () => { if (!state) state = sought ? 'ended d=' + v.duration : 'ended-unsought'; };
  v.onended = finish;
  v.ontimeupdate = () => { if (sought && v.played.length && v.currentTime >= v.duration - 0.05) finish(); };
  await waitReal(() => state || v.readyState >= 1, 20000);
  if (state) return state;
  v.onseeked = () => {
    sought = v.currentTime >= v.duration - 1.05;
    v.play().catch(e => { state = 'play ' + e; });
  };
  v.currentTime = Math.max(0, v.duration - 1);
  await waitReal(() => state, 50000);
  return state || ('timeout t=' + v.currentTime + ' d=' + v.duration);
}
Promise.all(urls.map(loadImage)).then(ok => playEnd().then(video => {
  document.getElementById('result').textContent =
    'RESULT images=' + ok.reduce((a, b) => a + b, 0) + '/' + urls.length + ' video=' + video;
}));
</script></body></html>
)JS";
  const std::string path = dir + "/page.html";
  std::ofstream(path) << page.str();
  return path;
}

struct BrowserRun {
  std::string result;  // the RESULT line, "" if none
  size_t not_modified = 0;
  std::string output;
};

BrowserRun Visit(const std::string& profile, const std::string& page, const std::string& netlog,
                 const std::string& screenshot) {
  std::vector<std::string> argv = ChromiumFlags(profile);
  argv.push_back("--virtual-time-budget=30000");
  if (!netlog.empty()) argv.push_back("--log-net-log=" + netlog);
  if (!screenshot.empty()) {
    argv.push_back("--screenshot=" + screenshot);
  } else {
    argv.push_back("--dump-dom");
  }
  argv.push_back("file://" + page);
  CommandResult run = RunCommand(argv, std::chrono::seconds(90));
  BrowserRun out;
  out.output = run.output;
  std::smatch m;
  if (std::regex_search(run.output, m, std::regex("RESULT [^<\\n]*"))) out.result = m.str();
  if (!netlog.empty()) {
    const std::string log = NginxFront::ReadFile(netlog);
    size_t pos = 0;
    while ((pos = log.find("HTTP/1.1 304 Not Modified", pos)) != std::string::npos) {
      ++out.not_modified;
      ++pos;
    }
  }
  return out;
}

class WebBrowserTest : public ::testing::TestWithParam<bool> {};

TEST_P(WebBrowserTest, ImagesDecodeVideoSeeksAndPlaysReloadRevalidates) {
  const bool through_nginx = GetParam();
  if (!HaveProgram(kChromium)) GTEST_SKIP() << "no " << kChromium << " (apt-get install chromium)";
  if (!HaveProgram(kFfmpeg)) GTEST_SKIP() << "no " << kFfmpeg << " (apt-get install ffmpeg)";
  if (through_nginx && !HaveProgram(NginxFront::kBinary)) GTEST_SKIP() << "no nginx";
  LocalClusterOptions options;
  options.web_listener = true;
  // Browsers revalidate: directly on every use (no-cache); through nginx once stale
  // (nginx does not keep no-cache responses, and answers a revalidation only from its cache).
  options.storage_args = {"--web_upload_token=tok",
                          through_nginx ? "--web_domain_cache_control=shop: public, max-age=1"
                                        : "--web_domain_cache_control=shop: no-cache"};
  LocalCluster cluster(options);
  ASSERT_TRUE(cluster.Call("create_domain", {{"domain", "shop"}}).ok);
  const Listener web{cluster.nodes()[0].ip, cluster.nodes()[0].web_port};

  const std::string media_dir = cluster.dir() + "/media";
  ::mkdir(media_dir.c_str(), 0755);
  const auto media = MakeMedia(media_dir);
  ASSERT_EQ(media.size(), 21u) << "ffmpeg could not make the test media";
  for (const auto& [key, file] : media) {
    ASSERT_EQ(
        Request(web, "PUT", "/shop/" + EncodeKey(key), kAuth, NginxFront::ReadFile(file)).status,
        201)
        << key;
  }
  std::unique_ptr<NginxFront> nginx;
  std::string base = "http://" + web.ip + ":" + std::to_string(web.port);
  if (through_nginx) {
    std::vector<Listener> webs;
    for (auto& n : cluster.nodes()) webs.push_back({n.ip, n.web_port});
    nginx = std::make_unique<NginxFront>(cluster.dir() + "/nginx",
                                         Listener{"127.0.0.1", FreePort("127.0.0.1")}, webs,
                                         "unused", "^/nothing-secured/");
    ASSERT_TRUE(nginx->up()) << nginx->Log();
    base = "http://127.0.0.1:" + std::to_string(nginx->listener().port);
  }
  const std::string page = WritePage(cluster.dir(), base, media);
  const std::string profile = cluster.dir() + "/chromium-profile";  // fresh per test

  BrowserRun first = Visit(profile, page, "", "");
  EXPECT_EQ(first.result.substr(0, std::min<size_t>(first.result.size(), 33)),
            "RESULT images=20/20 video=ended d")
      << first.result << "\n"
      << first.output.substr(0, 4000);
  if (through_nginx) std::this_thread::sleep_for(std::chrono::milliseconds(2100));  // stale
  const std::string shot = cluster.dir() + "/screenshot.png";
  BrowserRun second = Visit(profile, page, cluster.dir() + "/netlog.json", shot);
  EXPECT_GE(second.not_modified, 20u) << "304s seen by the browser on the second visit";
  struct stat st {};
  EXPECT_EQ(::stat(shot.c_str(), &st), 0);
  EXPECT_GT(st.st_size, 1000);
  // The cluster's temp dir goes with the test; a copy stays for a look afterwards.
  const std::string kept = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") +
                           "/mog-web-browser-" + (through_nginx ? "nginx" : "direct") + ".png";
  std::ofstream(kept, std::ios::binary) << NginxFront::ReadFile(shot);
  std::cerr << "screenshot: " << kept << " (" << st.st_size
            << " bytes), 304s on reload: " << second.not_modified
            << ", first visit: " << first.result << "\n";
  if (HasFailure()) {
    std::cerr << cluster.Logs();
    if (nginx) std::cerr << "\n=== nginx ===\n" << nginx->Log();
  }
}

INSTANTIATE_TEST_SUITE_P(DirectAndThroughNginx, WebBrowserTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Nginx" : "Direct"; });

}  // namespace
}  // namespace mog::test::web
