// The procedures of issue 4 walked end to end over HTTP, per trust as its
// pack configures them, including the refusals: self-approval, publishing
// unapproved or edited content, a teacher reading a safeguarding case,
// another school's staff. The store is a real SQLite file (and PostgreSQL
// when GATEHOUSE_TEST_PG_URL is set); the clock is the server's injected one.
#include <algorithm>
#include <atomic>
#include <filesystem>

#include "base/base64.h"
#include "base/time.h"
#include "harness.h"
#include "notify/outbox.h"
#include "store/audit.h"
#include "store/sql_conn.h"
#include "support/images/test_images.h"
#include "support/smtp_sink.h"
#include "vision/metadata.h"

namespace gh::servertest {
namespace {

std::atomic<int64_t> g_now{0};

int64_t At(const char* iso) { return ParseInstant(iso)->epoch_seconds; }

class Workflow : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const char* url = std::getenv("GATEHOUSE_TEST_PG_URL");
    if (GetParam() == "postgres" && (url == nullptr || *url == '\0')) {
      GTEST_SKIP() << "GATEHOUSE_TEST_PG_URL is not set; run eval \"$(scripts/pg.sh start)\"";
    }
  }
  void Start(const std::vector<std::string>& trusts) {
    g_now = At("2026-11-23T09:00:00Z");
    server::ServerOptions o;
    o.clock = [] { return g_now.load(); };
    std::string location;
    if (GetParam() == "postgres") {
      const char* url = std::getenv("GATEHOUSE_TEST_PG_URL");
      const std::string schema = UniqueName("wf_");
      auto admin = store::OpenPgConn(url);
      ASSERT_TRUE(admin.ok() && (*admin)->Exec("CREATE SCHEMA " + schema).ok());
      location = WithSchema(url, schema);
    } else {
      dir_ = std::filesystem::temp_directory_path() / UniqueName("gh_wf_");
      std::filesystem::create_directories(dir_);
      location = (dir_ / "gatehouse.db").string();
    }
    srv_ = std::make_unique<TestServer>(location, o, trusts);
  }
  void TearDown() override {
    srv_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  // A user linked to a staff register row; returns a bearer token.
  std::string As(const std::string& trust, const std::string& username, const std::string& role,
                 const std::string& school, const std::string& staff_id = "") {
    const int64_t id = srv_->AddUser(trust, username, {{role, school}}, staff_id);
    return srv_->TokenFor(id);
  }
  Reply Post(const std::string& tok, const std::string& path, const Json& body = Json::object()) {
    return srv_->Send("POST", path, tok, body.dump());
  }
  Reply Get(const std::string& tok, const std::string& path) {
    return srv_->Send("GET", path, tok);
  }
  Reply Put(const std::string& tok, const std::string& path, const Json& body) {
    return srv_->Send("PUT", path, tok, body.dump());
  }
  Json Sweep(const std::string& admin_tok) {
    Reply r = Post(admin_tok, "/api/v1/workflow/sweep");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
  std::vector<notify::OutboxMessage> Outbox(const std::string& trust) {
    auto m = notify::ListOutbox(srv_->store(), trust);
    EXPECT_TRUE(m.ok());
    return m.ok() ? *m : std::vector<notify::OutboxMessage>{};
  }
  static bool ChecklistSays(const Json& post, const std::string& item, const std::string& status,
                            const std::string& mention = "") {
    for (const Json& i : post["checklist"]) {
      if (i["id"] != item) continue;
      if (i["status"] != status) return false;
      if (mention.empty()) return true;
      return i["details"].dump().find(mention) != std::string::npos;
    }
    return false;
  }

  std::filesystem::path dir_;
  std::unique_ptr<TestServer> srv_;
};

const char* kSha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

Json MerciaDraft(const std::string& text) {
  return {{"account_id", "saxon-hill-facebook"},
          {"text", text},
          {"images",
           {{{"name", "sports-day.jpg"},
             {"sha256", kSha},
             {"alt", "children running a race"},
             {"device_id", "saxon-hill-camera-1"}}}},
          {"pupils", {"P0001", "P0003"}},
          {"confirms", {{"positive_and_relevant", true}, {"no_identifying_information", true}}}};
}

// Mercia (PROT-5, PROT-6a): SLT approves, the Office publishes.
TEST_P(Workflow, MerciaOfficialPostFromDraftToRemoval) {
  Start({"mercia"});
  const std::string teacher = As("mercia", "willow", "teacher", "saxon-hill", "S007");
  const std::string slt = As("mercia", "kai", "slt", "saxon-hill", "S004");
  const std::string office = As("mercia", "niamh", "office", "saxon-hill", "S005");
  const std::string other_office = As("mercia", "kb.office", "office", "kingsbury-brook");
  const std::string ceo = As("mercia", "mia", "ceo", "", "S001");

  Reply r = Post(teacher, "/api/v1/posts", MerciaDraft("What a sports day! Well done everyone."));
  ASSERT_EQ(r.status, 201) << r.body;
  Json post = r.json();
  const std::string id = post["id"];
  EXPECT_EQ(post["status"], "draft");
  // P0003's social-media consent is withdrawn in the demo register.
  EXPECT_TRUE(ChecklistSays(post, "consent", "problem", "Isaac Metcalfe")) << post["checklist"];
  EXPECT_TRUE(ChecklistSays(post, "device", "ok"));
  EXPECT_FALSE(post["ready"].get<bool>());

  // Another school's office cannot see it at all.
  EXPECT_EQ(Get(other_office, "/api/v1/posts/" + id).status, 404);
  // Nobody but the author submits; nobody approves a draft.
  EXPECT_EQ(Post(office, "/api/v1/posts/" + id + "/submit").status, 403);
  EXPECT_EQ(Post(slt, "/api/v1/posts/" + id + "/approve").status, 422);
  ASSERT_EQ(Post(teacher, "/api/v1/posts/" + id + "/submit").status, 200);
  // The approver is shown the missing consent and cannot approve past it.
  r = Get(slt, "/api/v1/posts?queue=approve");
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.json()["posts"].size(), 1u);
  r = Post(slt, "/api/v1/posts/" + id + "/approve");
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_NE(r.body.find("Consent"), std::string::npos) << r.body;
  // A teacher is not the approver; the office may not approve either.
  EXPECT_EQ(Post(teacher, "/api/v1/posts/" + id + "/approve").status, 403);
  EXPECT_EQ(Post(office, "/api/v1/posts/" + id + "/approve").status, 403);

  // The office records the consent; the checklist (live) clears.
  r = Put(office, "/api/v1/registers/consents/P0003|social_media||2026-11-20",
          {{"fields",
            {{"pupil_id", "P0003"},
             {"purpose", "social_media"},
             {"status", "granted"},
             {"on", "2026-11-20"},
             {"evidence", "signed form"}}}});
  ASSERT_EQ(r.status, 201) << r.body;
  r = Get(slt, "/api/v1/posts/" + id);
  EXPECT_TRUE(ChecklistSays(r.json(), "consent", "ok")) << r.json()["checklist"];
  // Publishing before approval is refused.
  EXPECT_EQ(Post(office, "/api/v1/posts/" + id + "/publish", {{"policy_followed", true}}).status,
            422);
  r = Post(slt, "/api/v1/posts/" + id + "/approve");
  ASSERT_EQ(r.status, 200) << r.body;
  post = r.json();
  EXPECT_EQ(post["status"], "approved");
  EXPECT_EQ(post["approval"]["content_hash"], post["content_hash"]);

  // An edit voids the approval; the office cannot publish edited content.
  Json edit = MerciaDraft("What a sports day! Well done everyone, and thank you parents.");
  edit["version"] = post["version"];
  r = Put(teacher, "/api/v1/posts/" + id, edit);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["status"], "draft");
  EXPECT_TRUE(r.json()["approval"].is_null());
  EXPECT_EQ(Post(office, "/api/v1/posts/" + id + "/publish", {{"policy_followed", true}}).status,
            422);
  // A stale version is a conflict, and writes nothing.
  edit["version"] = post["version"];
  EXPECT_EQ(Put(teacher, "/api/v1/posts/" + id, edit).status, 409);

  ASSERT_EQ(Post(teacher, "/api/v1/posts/" + id + "/submit").status, 200);
  ASSERT_EQ(Post(slt, "/api/v1/posts/" + id + "/approve").status, 200);
  // Only the Office publishes, and only confirming the policy was followed.
  EXPECT_EQ(Post(teacher, "/api/v1/posts/" + id + "/publish", {{"policy_followed", true}}).status,
            403);
  EXPECT_EQ(Post(slt, "/api/v1/posts/" + id + "/publish", {{"policy_followed", true}}).status, 403);
  EXPECT_EQ(Post(office, "/api/v1/posts/" + id + "/publish").status, 400);
  r = Post(office, "/api/v1/posts/" + id + "/publish",
           {{"policy_followed", true}, {"url", "https://www.facebook.com/saxonhill/posts/1"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["status"], "published");
  EXPECT_EQ(Post(office, "/api/v1/posts/" + id + "/publish", {{"policy_followed", true}}).status,
            422);

  // A parent withdraws P0001's photo consent: the post is flagged for removal.
  r = Put(office, "/api/v1/registers/consents/P0001|photo||2026-11-21",
          {{"fields",
            {{"pupil_id", "P0001"},
             {"purpose", "photo"},
             {"status", "withdrawn"},
             {"on", "2026-11-21"}}}});
  ASSERT_EQ(r.status, 201) << r.body;
  r = Get(office, "/api/v1/posts/" + id);  // at once, without waiting for the sweep
  EXPECT_EQ(r.json()["status"], "removal_required");
  EXPECT_EQ(r.json()["removal"]["pupils"], Json::array({"P0001"}));
  EXPECT_EQ(Sweep(ceo)["posts_flagged_for_removal"], 0);  // already flagged; idempotent
  bool removal_mail = false;
  for (const auto& m : Outbox("mercia")) {
    removal_mail |= m.to == "niamh.whiteley@saxonhill.merciapat.org.uk" &&
                    m.subject.find("Remove an official post") != std::string::npos;
  }
  EXPECT_TRUE(removal_mail);
  EXPECT_EQ(Post(teacher, "/api/v1/posts/" + id + "/confirm_removed").status, 403);
  r = Post(office, "/api/v1/posts/" + id + "/confirm_removed");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["status"], "removed");

  // The trail records every step, verifies, and does not show post content.
  r = Get(ceo, "/api/v1/audit/verify");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["ok"], true) << r.body;
  r = Get(ceo, "/api/v1/audit?limit=1000");
  EXPECT_EQ(r.body.find("What a sports day"), std::string::npos);
  EXPECT_NE(r.body.find("wf.posts"), std::string::npos);
}

// A consent withdrawn for one platform only counts on that platform: the
// checklist shows it, and a published Facebook post is flagged for removal.
TEST_P(Workflow, ConsentWithdrawnForOnePlatformCounts) {
  Start({"mercia"});
  const std::string teacher = As("mercia", "willow", "teacher", "saxon-hill", "S007");
  const std::string slt = As("mercia", "kai", "slt", "saxon-hill", "S004");
  const std::string office = As("mercia", "niamh", "office", "saxon-hill", "S005");
  Json draft = MerciaDraft("Reading champions!");
  draft["pupils"] = Json::array({"P0001"});  // whole-channel consent granted
  Reply r = Post(teacher, "/api/v1/posts", draft);
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = r.json()["id"];
  EXPECT_TRUE(ChecklistSays(r.json(), "consent", "ok")) << r.json()["checklist"];
  ASSERT_EQ(Post(teacher, "/api/v1/posts/" + id + "/submit").status, 200);
  ASSERT_EQ(Post(slt, "/api/v1/posts/" + id + "/approve").status, 200);
  ASSERT_EQ(Post(office, "/api/v1/posts/" + id + "/publish", {{"policy_followed", true}}).status,
            200);
  // Withdrawn for Instagram: nothing changes for a Facebook post.
  r = Put(office, "/api/v1/registers/consents/P0001|photo|instagram|2026-11-20",
          {{"fields",
            {{"pupil_id", "P0001"},
             {"purpose", "photo"},
             {"channel", "instagram"},
             {"status", "withdrawn"},
             {"on", "2026-11-20"}}}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Get(office, "/api/v1/posts/" + id).json()["status"], "published");
  // Withdrawn for Facebook: the post must come down, and a new draft shows why.
  r = Put(office, "/api/v1/registers/consents/P0001|photo|Facebook|2026-11-21",
          {{"fields",
            {{"pupil_id", "P0001"},
             {"purpose", "photo"},
             {"channel", "Facebook"},
             {"status", "withdrawn"},
             {"on", "2026-11-21"}}}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Get(office, "/api/v1/posts/" + id).json()["status"], "removal_required");
  r = Post(teacher, "/api/v1/posts", draft);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_TRUE(ChecklistSays(r.json(), "consent", "problem", "Jamie Marlow: photo consent"))
      << r.json()["checklist"];
}

// An approver cannot approve their own post.
TEST_P(Workflow, NobodyApprovesTheirOwnPost) {
  Start({"mercia"});
  const std::string slt = As("mercia", "kai", "slt", "saxon-hill", "S004");
  Json draft = MerciaDraft("Our reading corner is open.");
  draft["pupils"] = Json::array({"P0001"});
  Reply r = Post(slt, "/api/v1/posts", draft);
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = r.json()["id"];
  ASSERT_EQ(Post(slt, "/api/v1/posts/" + id + "/submit").status, 200);
  r = Post(slt, "/api/v1/posts/" + id + "/approve");
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_NE(r.body.find("your own"), std::string::npos);
}

// LT2 (7.3-5, 7.3-6a): the Headteacher approves; the account's designated
// overseer (its publisher in the register) publishes; unused approvals expire.
TEST_P(Workflow, Lt2OverseerPublishesAndApprovalsExpire) {
  Start({"lt2"});
  const std::string teacher = As("lt2", "lily", "teacher", "rugby-free-secondary", "S007");
  const std::string head = As("lt2", "kai", "headteacher", "rugby-free-secondary", "S002");
  const std::string office = As("lt2", "sophia", "office", "rugby-free-secondary", "S005");
  const std::string overseer = As("lt2", "toby", "it_manager", "rugby-free-secondary", "S006");
  const std::string ceo = As("lt2", "hannah", "ceo", "", "S001");
  auto draft = [&](const std::string& sched) {
    Json d = {
        {"account_id", "rugby-free-secondary-facebook"},
        {"text", "Year 9 science fair this Thursday. Everyone welcome."},
        {"confirms", {{"positive_and_relevant", true}, {"no_identifying_information", true}}}};
    if (!sched.empty()) d["scheduled_for"] = sched;
    return d;
  };
  Reply r = Post(teacher, "/api/v1/posts", draft("2026-11-23T12:00:00Z"));
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = r.json()["id"];
  ASSERT_EQ(Post(teacher, "/api/v1/posts/" + id + "/submit").status, 200);
  // The office neither approves nor oversees this account: it cannot see it.
  EXPECT_EQ(Post(office, "/api/v1/posts/" + id + "/approve").status, 404);
  EXPECT_EQ(Post(teacher, "/api/v1/posts/" + id + "/approve").status, 403);
  r = Post(head, "/api/v1/posts/" + id + "/approve");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["approval"]["expires_at"], "2026-11-23T12:00:00.000Z");
  // The office is not this account's overseer: to them the post does not exist.
  EXPECT_EQ(Post(office, "/api/v1/posts/" + id + "/publish", {{"policy_followed", true}}).status,
            404);
  EXPECT_EQ(Get(office, "/api/v1/posts?queue=publish").json()["posts"].size(), 0u);
  // The scheduled time passes unused: the approval expires.
  g_now = At("2026-11-23T13:00:00Z");
  EXPECT_EQ(Post(overseer, "/api/v1/posts/" + id + "/publish", {{"policy_followed", true}}).status,
            422);
  EXPECT_EQ(Sweep(ceo)["posts_expired"], 1);
  EXPECT_EQ(Get(teacher, "/api/v1/posts/" + id).json()["status"], "expired");

  // A fresh one goes through to the overseer.
  r = Post(teacher, "/api/v1/posts", draft(""));
  const std::string id2 = r.json()["id"];
  ASSERT_EQ(Post(teacher, "/api/v1/posts/" + id2 + "/submit").status, 200);
  ASSERT_EQ(Post(head, "/api/v1/posts/" + id2 + "/approve").status, 200);
  r = Get(overseer, "/api/v1/posts?queue=publish");
  ASSERT_EQ(r.json()["posts"].size(), 1u) << r.body;
  r = Post(overseer, "/api/v1/posts/" + id2 + "/publish", {{"policy_followed", true}});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["published"]["by"], "toby");
}

// Lionheart (4.2-x): no approver; written consent and the checklist are the
// gate; the account's owner or moderator publishes.
// A photo sent with a draft is stored with it: the server names it by the
// SHA-256 of the bytes, serves it to those who may see the post (with its
// media type) and to nobody else; bytes that are not an image, or that do not
// match the sha256 given, are refused naming the field.
TEST_P(Workflow, DraftImagesTravelWithThePost) {
  Start({"mercia"});
  const std::string teacher = As("mercia", "willow", "teacher", "saxon-hill", "S007");
  const std::string slt = As("mercia", "kai", "slt", "saxon-hill", "S004");
  const std::string other_office = As("mercia", "kb.office", "office", "kingsbury-brook");
  // A small PNG drawn here, and its hash as the server must compute it (it
  // carries no metadata, so the stored copy is the same bytes).
  const std::string png = testimg::RenderTextImage({"Our beans"}, "DejaVu Sans", 0, 320, 200);
  ASSERT_EQ(png.substr(1, 3), "PNG");
  const std::string sha = store::Sha256Hex(png);
  Json d = MerciaDraft("Our garden is growing.");
  d["images"] = {{{"name", "garden.png"}, {"content_base64", Base64Encode(png)}, {"alt", "beans"}}};
  Reply r = Post(teacher, "/api/v1/posts", d);
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = r.json()["id"];
  EXPECT_EQ(r.json()["content"]["images"][0]["sha256"], sha);
  EXPECT_FALSE(r.json()["content"]["images"][0].contains("content_base64"));
  ASSERT_EQ(Post(teacher, "/api/v1/posts/" + id + "/submit").status, 200);

  r = Get(slt, "/api/v1/posts/" + id + "/images/" + sha);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, png);
  EXPECT_EQ(r.header("Content-Type"), "image/png");
  EXPECT_EQ(Get(other_office, "/api/v1/posts/" + id + "/images/" + sha).status, 404);
  EXPECT_EQ(Get(slt, "/api/v1/posts/" + id + "/images/" + std::string(64, 'b')).status, 404);

  // An edit that keeps the image by its hash keeps the bytes.
  Json edit = d;
  edit["text"] = "Our garden is growing fast.";
  edit["images"] = {{{"name", "garden.png"}, {"sha256", sha}, {"alt", "beans"}}};
  edit["version"] = 2;
  ASSERT_EQ(Put(teacher, "/api/v1/posts/" + id, edit).status, 200);
  EXPECT_EQ(Get(slt, "/api/v1/posts/" + id + "/images/" + sha).body, png);

  Json bad = MerciaDraft("Not a picture.");
  bad["images"] = {{{"name", "notes.txt"}, {"content_base64", Base64Encode("hello, world")}}};
  r = Post(teacher, "/api/v1/posts", bad);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("images[0].content_base64: not a JPEG, PNG, GIF or WebP image"),
            std::string::npos)
      << r.body;
  bad["images"] = {{{"name", "garden.png"},
                    {"content_base64", Base64Encode(png)},
                    {"sha256", std::string(64, 'c')}}};
  r = Post(teacher, "/api/v1/posts", bad);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("images[0].sha256: does not match content_base64"), std::string::npos)
      << r.body;
  // A draft with its photos may be larger than other JSON (up to 16 MiB).
  Json big = MerciaDraft(std::string(1500 * 1024, 'a'));
  EXPECT_EQ(Post(teacher, "/api/v1/posts", big).status, 400);  // text too long, not 413
}

TEST_P(Workflow, LionheartSanctionedAccountHasNoApprovalStep) {
  Start({"lionheart"});
  const std::string teacher = As("lionheart", "ivy", "teacher", "ashby-fields", "S007");
  const std::string moderator = As("lionheart", "nancy", "office", "ashby-fields", "S005");
  Json d = {{"account_id", "ashby-fields-facebook"},
            {"text", "Our choir sang beautifully tonight."},
            {"images", {{{"name", "choir.jpg"}, {"sha256", kSha}}}},
            {"pupils", {"P0002"}},  // Bethany: no consent (and another school)
            {"confirms", {{"positive_and_relevant", true}, {"no_identifying_information", true}}}};
  Reply r = Post(teacher, "/api/v1/posts", d);
  ASSERT_EQ(r.status, 201) << r.body;
  std::string id = r.json()["id"];
  r = Post(teacher, "/api/v1/posts/" + id + "/submit");
  EXPECT_EQ(r.status, 422) << r.body;
  d["pupils"] = Json::array({"P0001"});  // Ronnie: consent granted
  d["version"] = 1;
  ASSERT_EQ(Put(teacher, "/api/v1/posts/" + id, d).status, 200);
  r = Post(teacher, "/api/v1/posts/" + id + "/submit");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["status"], "approved");
  EXPECT_EQ(r.json()["approval"]["by"], "checklist");
  EXPECT_EQ(Post(teacher, "/api/v1/posts/" + id + "/publish", {{"policy_followed", true}}).status,
            403);
  EXPECT_EQ(Post(moderator, "/api/v1/posts/" + id + "/publish", {{"policy_followed", true}}).status,
            200);
}

// Trusts whose policies set no official-post procedure say so.
TEST_P(Workflow, TrustsWithoutTheProtocolRefuseClearly) {
  Start({"chiltern", "llmat"});
  const std::string head = As("chiltern", "elliot", "headteacher", "beech-hill", "S002");
  Reply r = Post(head, "/api/v1/posts", {{"account_id", "x"}, {"text", "hello"}});
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_TRUE(IsErrorShape(r));
  EXPECT_NE(r.body.find("no procedure for official posts"), std::string::npos);
}

// "If you are unsure, ask first": LT2 routes to the Headteacher (or the line
// manager); the answer stays with the draft; others cannot read or answer it.
TEST_P(Workflow, AskingBeforePosting) {
  Start({"lt2"});
  const std::string teacher = As("lt2", "lily", "teacher", "rugby-free-secondary", "S007");
  const std::string colleague = As("lt2", "ryan", "teacher", "rugby-free-secondary", "S008");
  const std::string head = As("lt2", "kai", "headteacher", "rugby-free-secondary", "S002");
  const std::string other_head = As("lt2", "ava", "headteacher", "rugby-free-primary", "S009");
  Reply r = Post(teacher, "/api/v1/advice",
                 {{"question", "Can I share this about the strike day?"},
                  {"draft_text", "No school tomorrow, the management are useless"},
                  {"to_role", "headteacher"}});
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = r.json()["id"];
  EXPECT_EQ(r.json()["answerers"], Json::array({"kai"}));
  EXPECT_FALSE(r.json()["screening"]["findings"].empty()) << r.body;
  EXPECT_EQ(Get(colleague, "/api/v1/advice/" + id).status, 404);
  EXPECT_EQ(Get(other_head, "/api/v1/advice/" + id).status, 404);
  EXPECT_EQ(Post(teacher, "/api/v1/advice/" + id + "/answer",
                 {{"answer", "fine"}, {"decision", "go_ahead"}})
                .status,
            403);
  r = Post(head, "/api/v1/advice/" + id + "/answer",
           {{"answer", "Please do not post it."}, {"decision", "maybe"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("decision"), std::string::npos);
  r = Post(head, "/api/v1/advice/" + id + "/answer",
           {{"answer", "Please do not post it."}, {"decision", "do_not_post"}});
  ASSERT_EQ(r.status, 200) << r.body;
  r = Get(teacher, "/api/v1/advice/" + id);
  EXPECT_EQ(r.json()["answer"]["decision"], "do_not_post");
  EXPECT_EQ(r.json()["answer"]["text"], "Please do not post it.");
  EXPECT_EQ(Get(head, "/api/v1/advice").json()["to_answer"].size(), 1u);
  // An unknown route role is refused, naming the field.
  r = Post(teacher, "/api/v1/advice", {{"question", "?"}, {"to_role", "caretaker"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["error"]["message"].get<std::string>().rfind("to_role", 0), 0u);
}

// Safeguarding: Lionheart routes a pupil's message to the DSL, and nobody else
// (a teacher, the Headteacher, another school's DSL) can read the case.
TEST_P(Workflow, LionheartPupilMessageGoesToTheDslOnly) {
  Start({"lionheart"});
  const std::string teacher = As("lionheart", "ivy", "teacher", "ashby-fields", "S007");
  const std::string colleague = As("lionheart", "ryan", "teacher", "ashby-fields", "S008");
  const std::string dsl = As("lionheart", "martha", "dsl", "ashby-fields", "S003");
  const std::string head = As("lionheart", "ibrahim", "headteacher", "ashby-fields", "S002");
  const std::string other_dsl = As("lionheart", "joshua", "dsl", "kingfisher-vale", "S010");
  Reply r = Post(teacher, "/api/v1/contacts",
                 {{"kind", "message"},
                  {"platform", "snapchat"},
                  {"counterpart", {{"pupil_id", "P0001"}}},
                  {"text", "hi miss can u help with homework"}});
  ASSERT_EQ(r.status, 201) << r.body;
  Json c = r.json();
  EXPECT_EQ(c["required"], Json::array({"do_not_reply", "report"})) << c;
  ASSERT_TRUE(c["case"].is_object()) << c;
  EXPECT_EQ(c["case"]["routed_to"], Json::array({"dsl"})) << c;
  const std::string case_id = c["case"]["id"];

  r = Get(dsl, "/api/v1/cases/" + case_id);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["view"], "handler");
  EXPECT_EQ(r.json()["category"], "safeguarding");
  for (const std::string& tok : {colleague, head, other_dsl}) {
    EXPECT_EQ(Get(tok, "/api/v1/cases/" + case_id).status, 404);
    EXPECT_EQ(Get(tok, "/api/v1/cases").json()["cases"].size(), 0u);
    EXPECT_EQ(Post(tok, "/api/v1/cases/" + case_id + "/note", {{"text", "x"}}).status, 404);
  }
  // The reporter sees that it was reported, not the handlers' notes.
  ASSERT_EQ(Post(dsl, "/api/v1/cases/" + case_id + "/note", {{"text", "spoke to parents"}}).status,
            200);
  r = Get(teacher, "/api/v1/cases/" + case_id);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["view"], "limited");
  EXPECT_EQ(r.body.find("spoke to parents"), std::string::npos);
  // The DSL is mailed at once (immediate, not a digest).
  bool mailed = false;
  for (const auto& m : Outbox("lionheart")) {
    mailed |=
        m.to == "martha.ramsden@ashbyfields.lionheartacademies.org.uk" && m.category == "immediate";
  }
  EXPECT_TRUE(mailed);

  // A parent's friend request: refuse, and report to the Headteacher.
  r = Post(teacher, "/api/v1/contacts",
           {{"kind", "friend_request"},
            {"platform", "facebook"},
            {"counterpart", {{"parent_id", "PA001"}}}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["required"], Json::array({"refuse", "report"})) << r.body;
  EXPECT_EQ(r.json()["case"]["routed_to"], Json::array({"headteacher"}));
  // Bad input names the field.
  r = Post(teacher, "/api/v1/contacts",
           {{"kind", "message"}, {"counterpart", {{"pupil_id", "P9"}}}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("counterpart.pupil_id"), std::string::npos);
}

// Chiltern sends it to the Headteacher; Mercia's policy is silent, so nothing
// is required, but a member of staff may still report it to the DSL.
TEST_P(Workflow, ContactRulesFollowEachPack) {
  Start({"chiltern", "mercia"});
  const std::string ct = As("chiltern", "mia", "teacher", "beech-hill", "S007");
  const std::string ch = As("chiltern", "h", "headteacher", "beech-hill", "S002");
  Reply r = Post(ct, "/api/v1/contacts",
                 {{"kind", "follow_request"},
                  {"platform", "instagram"},
                  {"counterpart", {{"pupil_id", "P0001"}}}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["case"]["routed_to"], Json::array({"headteacher"}));
  EXPECT_EQ(Get(ch, "/api/v1/cases/" + r.json()["case"]["id"].get<std::string>()).status, 200);

  const std::string mt = As("mercia", "willow", "teacher", "saxon-hill", "S007");
  const std::string md = As("mercia", "alice", "dsl", "saxon-hill", "S003");
  r = Post(mt, "/api/v1/contacts", {{"kind", "message"}, {"counterpart", {{"pupil_id", "P0001"}}}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["required"], Json::array());
  EXPECT_TRUE(r.json()["case"].is_null());
  r = Post(mt, "/api/v1/contacts",
           {{"kind", "message"}, {"counterpart", {{"pupil_id", "P0001"}}}, {"report", true}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["case"]["routed_to"], Json::array({"dsl"})) << r.body;
  EXPECT_EQ(Get(md, "/api/v1/cases").json()["cases"].size(), 1u);
}

// LT2 cases: routed by the matrix, triaged with LT2's gross-misconduct
// categories, evidenced with SHA-256, escalated, a removal request that
// passes its deadline becomes a breach, and the reporter is told the outcome.
TEST_P(Workflow, Lt2MisuseCaseLifecycle) {
  Start({"lt2"});
  const std::string reporter = As("lt2", "lily", "teacher", "rugby-free-secondary", "S007");
  const std::string subject = As("lt2", "ryan", "teacher", "rugby-free-secondary", "S008");
  const std::string head = As("lt2", "kai", "headteacher", "rugby-free-secondary", "S002");
  const std::string other_head = As("lt2", "ava", "headteacher", "rugby-free-primary", "S009");
  const std::string ceo = As("lt2", "hannah", "ceo", "", "S001");

  Reply r = Post(reporter, "/api/v1/cases",
                 {{"category", "misuse"},
                  {"summary", "Offensive post about parents"},
                  {"details", "Posted on Facebook last night"},
                  {"subject_staff_id", "S008"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["routed_to"], Json::array({"headteacher"}));
  const std::string id = r.json()["id"];
  EXPECT_EQ(Get(other_head, "/api/v1/cases/" + id).status, 404);
  EXPECT_EQ(Get(subject, "/api/v1/cases/" + id).status, 404);

  // A case about the Headteacher goes to the CEO; the Headteacher cannot see it.
  r = Post(reporter, "/api/v1/cases",
           {{"category", "misuse"},
            {"summary", "Head posted a pupil photo"},
            {"subject_staff_id", "S002"}});
  ASSERT_EQ(r.status, 201);
  EXPECT_EQ(r.json()["routed_to"], Json::array({"ceo"}));
  EXPECT_EQ(Get(head, "/api/v1/cases/" + r.json()["id"].get<std::string>()).status, 404);
  EXPECT_EQ(Get(ceo, "/api/v1/cases/" + r.json()["id"].get<std::string>()).status, 200);

  // Triage: gross misconduct needs one of LT2's categories.
  r = Post(head, "/api/v1/cases/" + id + "/triage", {{"severity", "gross_misconduct"}});
  EXPECT_EQ(r.status, 400) << r.body;
  r = Post(head, "/api/v1/cases/" + id + "/triage",
           {{"severity", "gross_misconduct"}, {"gross_misconduct_rule", "discrimination"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["status"], "investigating");
  EXPECT_FALSE(r.json()["clauses"].empty());
  EXPECT_EQ(Post(reporter, "/api/v1/cases/" + id + "/triage", {{"severity", "low"}}).status, 403);

  // Evidence keeps its SHA-256 and its bytes.
  const std::string shot = "screenshot bytes \x01\x02";
  r = Post(head, "/api/v1/cases/" + id + "/evidence",
           {{"name", "screenshot.png"}, {"content_base64", "c2NyZWVuc2hvdCBieXRlcyABAg=="}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["evidence"][0]["sha256"], store::Sha256Hex(shot));
  r = Get(head, "/api/v1/cases/" + id + "/evidence/ev1");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, shot);
  EXPECT_EQ(Get(reporter, "/api/v1/cases/" + id + "/evidence/ev1").status, 404);
  EXPECT_EQ(Post(head, "/api/v1/cases/" + id + "/evidence",
                 {{"name", "x"}, {"content_base64", "not base64!"}})
                .status,
            400);

  // A removal request with a deadline, addressed to the subject.
  r = Post(head, "/api/v1/cases/" + id + "/removal_request",
           {{"of_staff_id", "S008"},
            {"what", "the Facebook post of 22 November"},
            {"deadline", "2026-11-24T09:00:00Z"}});
  ASSERT_EQ(r.status, 200) << r.body;
  r = Get(subject, "/api/v1/cases/" + id);  // the subject sees the request only
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["view"], "limited");
  EXPECT_EQ(r.json()["removal_requests"].size(), 1u);
  EXPECT_EQ(r.body.find("Offensive post"), std::string::npos);
  // The deadline passes unmet: the case escalates and a breach case opens.
  g_now = At("2026-11-24T10:00:00Z");
  Json swept = Sweep(ceo);
  EXPECT_EQ(swept["removal_requests_overdue"], 1) << swept;
  EXPECT_EQ(swept["breach_cases_opened"], 1);
  r = Get(ceo, "/api/v1/cases/" + id);
  ASSERT_EQ(r.status, 200) << r.body;  // escalated headteacher -> ceo
  EXPECT_EQ(r.json()["status"], "escalated");
  EXPECT_EQ(r.json()["removal_requests"][0]["status"], "overdue");
  const std::string breach = r.json()["removal_requests"][0]["breach_case"];
  r = Get(head, "/api/v1/cases/" + breach);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["subject_staff_id"], "S008");
  EXPECT_EQ(Get(head, "/api/v1/cases/" + id).status, 404);  // no longer routed to them

  // The CEO closes it; the reporter is told the outcome.
  r = Post(ceo, "/api/v1/cases/" + id + "/close",
           {{"outcomes", {"disciplinary_referral", "governing_body_informed"}},
            {"summary", "Referred under the Disciplinary Procedure"},
            {"reporter_message", "Thank you; action has been taken."}});
  ASSERT_EQ(r.status, 200) << r.body;
  r = Get(reporter, "/api/v1/cases/" + id);
  EXPECT_EQ(r.json()["outcome"]["message"], "Thank you; action has been taken.");
  bool told = false;
  for (const auto& m : Outbox("lt2")) {
    told |= m.to == "lily.metcalfe@rugbyfreesecondary.org.uk" &&
            m.body.find("action has been taken") != std::string::npos;
  }
  EXPECT_TRUE(told);
  EXPECT_EQ(Post(ceo, "/api/v1/cases/" + id + "/note", {{"text", "late"}}).status, 422);
  r = Post(ceo, "/api/v1/cases/" + id + "/close", {{"outcomes", {"sacked"}}, {"summary", "x"}});
  EXPECT_EQ(r.status, 422);  // closed already
}

// The policy's life at Mercia: versions, 30 days' notice, acknowledgements
// asked again for a new version, reviews, and the governors' report.
TEST_P(Workflow, MerciaPolicyLifeAndGovernorsReport) {
  Start({"mercia"});
  const std::string teacher = As("mercia", "willow", "teacher", "saxon-hill", "S007");
  const std::string head = As("mercia", "harry", "headteacher", "saxon-hill", "S002");
  const std::string ceo = As("mercia", "mia", "ceo", "", "S001");
  Reply r = Get(teacher, "/api/v1/policy");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["current"]["version"], "2021-06");
  EXPECT_EQ(r.json()["review"]["overdue"], true);  // due 2022-06-01
  EXPECT_EQ(r.json()["needs_acknowledgement"], Json::array({"2021-06"}));
  ASSERT_EQ(Post(teacher, "/api/v1/policy/versions/2021-06/acknowledge").status, 200);
  EXPECT_EQ(Get(teacher, "/api/v1/policy").json()["needs_acknowledgement"], Json::array());

  Json v = {{"version", "2026-12"},
            {"approving_body", "Board of Governors"},
            {"approved_on", "2026-11-20"},
            {"effective_from", "2026-12-01"},
            {"summary", "Adds the official-post protocol for TikTok."}};
  EXPECT_EQ(Post(teacher, "/api/v1/policy/versions", v).status, 403);
  EXPECT_EQ(Post(head, "/api/v1/policy/versions", v).status, 403);  // trust-wide only
  r = Post(ceo, "/api/v1/policy/versions", v);
  EXPECT_EQ(r.status, 400) << r.body;  // 8 days' notice; the policy gives 30
  EXPECT_NE(r.body.find("2026-12-23"), std::string::npos) << r.body;
  v["effective_from"] = "2027-01-04";
  r = Post(ceo, "/api/v1/policy/versions", v);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["review_due"], "2028-01-04");  // 12-month cycle
  EXPECT_EQ(Post(ceo, "/api/v1/policy/versions", v).status, 409);
  r = Get(teacher, "/api/v1/policy");
  EXPECT_EQ(r.json()["needs_acknowledgement"], Json::array({"2026-12"}));
  int notices = 0;
  for (const auto& m : Outbox("mercia")) notices += m.subject.find("Notice of change") == 0;
  EXPECT_EQ(notices, 3);  // every user with a staff e-mail (the three above)

  r = Get(head, "/api/v1/policy/versions/2021-06/acknowledgements");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["acknowledged"], 1);
  EXPECT_EQ(r.json()["staff"], 3);
  EXPECT_EQ(Get(teacher, "/api/v1/policy/versions/2021-06/acknowledgements").status, 403);

  r = Post(ceo, "/api/v1/policy/reviews",
           {{"reviewed_on", "2026-11-22"}, {"reviewed_by", "SLT"}, {"outcome", "no_change"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["review"]["overdue"], false);
  EXPECT_EQ(r.json()["review"]["next_review_due"], "2027-11-22");

  // The governors' report: JSON, CSV and printable HTML with charts.
  ASSERT_EQ(
      Post(teacher, "/api/v1/cases",
           {{"category", "content_about_trust"}, {"summary", "A parent's post about the school"}})
          .status,
      201);
  r = Get(ceo, "/api/v1/reports/governors");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["cases"]["by_category"]["content_about_trust"], 1);
  EXPECT_EQ(r.body.find("A parent's post"), std::string::npos);  // counts only
  r = Get(ceo, "/api/v1/reports/governors?format=csv");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body.rfind("section,item,value", 0), 0u);
  EXPECT_NE(r.body.find("cases by category,content_about_trust,1"), std::string::npos) << r.body;
  r = Get(ceo, "/api/v1/reports/governors?format=html");
  EXPECT_NE(r.body.find("<svg"), std::string::npos);
  EXPECT_EQ(Get(teacher, "/api/v1/reports/governors").status, 403);
  EXPECT_EQ(Get(ceo, "/api/v1/reports/governors?from=2026-13-01").status, 400);
}

// Malformed and unknown input: precise errors, nothing written.
TEST_P(Workflow, BadInputIsRefusedPrecisely) {
  Start({"mercia"});
  const std::string teacher = As("mercia", "willow", "teacher", "saxon-hill", "S007");
  Reply r = srv_->Send("POST", "/api/v1/posts", teacher, "{not json");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(IsErrorShape(r));
  r = Post(teacher, "/api/v1/posts", {{"account_id", "nope"}, {"text", "x"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("account_id"), std::string::npos);
  Json d = MerciaDraft("x");
  d["images"][0]["sha256"] = "abc";
  r = Post(teacher, "/api/v1/posts", d);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("images[0].sha256"), std::string::npos);
  d = MerciaDraft("x");
  d["text"] = std::string("\xff\xfe", 2);
  EXPECT_EQ(srv_->Send("POST", "/api/v1/posts", teacher,
                       d.dump(-1, ' ', false, Json::error_handler_t::ignore))
                .status,
            400);
  EXPECT_EQ(Get(teacher, "/api/v1/posts/post-0000000000").status, 404);
  EXPECT_EQ(Post(teacher, "/api/v1/cases/case-0000000000/note", {{"text", "x"}}).status, 404);
  r = Post(teacher, "/api/v1/cases", {{"category", "gossip"}, {"summary", "x"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("category"), std::string::npos);
  EXPECT_EQ(Get(teacher, "/api/v1/posts").json()["posts"].size(), 0u);
  EXPECT_EQ(Get(teacher, "/api/v1/cases?mine=true").json()["cases"].size(), 0u);
}

// Notifications over a real SMTP server (aiosmtpd, started here): the DSL's
// mail waits in the outbox while the server is down and is delivered once it
// is up; the approvers' queue goes as one digest.
TEST(WorkflowMail, SafeguardingMailSurvivesAMailServerOutageAndDigestsGroup) {
  using notify::testing::SmtpSink;
  const int port = notify::testing::FreePort();
  ASSERT_GT(port, 0);
  notify::SmtpOptions mo;
  mo.url = "smtp://127.0.0.1:" + std::to_string(port);
  mo.from = "gatehouse@example.org";
  mo.timeout_ms = 3000;
  notify::SmtpMailer mailer(mo);
  g_now = At("2026-11-23T18:00:00Z");
  server::ServerOptions o;
  o.clock = [] { return g_now.load(); };
  o.mailer = &mailer;
  o.mail_from = mo.from;
  const auto dir = std::filesystem::temp_directory_path() / UniqueName("gh_wfmail_");
  std::filesystem::create_directories(dir);
  {
    TestServer srv((dir / "gatehouse.db").string(), o, {"lionheart", "mercia"});
    const std::string teacher =
        srv.TokenFor(srv.AddUser("lionheart", "ivy", {{"teacher", "ashby-fields"}}, "S007"));
    srv.AddUser("lionheart", "martha", {{"dsl", "ashby-fields"}}, "S003");
    Reply r = srv.Send("POST", "/api/v1/contacts", teacher,
                       Json{{"kind", "message"}, {"counterpart", {{"pupil_id", "P0001"}}}}.dump());
    ASSERT_EQ(r.status, 201) << r.body;

    // Nothing listens yet: the attempt fails and the mail stays queued.
    (void)srv.server().Tick();
    auto queued = notify::ListOutbox(srv.store(), "lionheart");
    ASSERT_TRUE(queued.ok());
    ASSERT_EQ(queued->size(), 1u);
    EXPECT_EQ((*queued)[0].status, "pending");
    EXPECT_EQ((*queued)[0].attempts, 1);
    EXPECT_FALSE((*queued)[0].last_error.empty());
    // The IT manager (trust-wide) sees it waiting, without its body.
    const std::string it =
        srv.TokenFor(srv.AddUser("lionheart", "noah", {{"it_manager", ""}}, "S006"));
    r = srv.Send("GET", "/api/v1/outbox?status=pending", it);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["counts"]["pending"], 1);
    EXPECT_EQ(r.json()["messages"][0]["attempts"], 1);
    EXPECT_FALSE(r.json()["messages"][0].contains("body"));
    EXPECT_EQ(srv.Send("GET", "/api/v1/outbox", teacher).status, 403);

    std::string error;
    auto sink = SmtpSink::Start(port, &error);
    ASSERT_NE(sink, nullptr) << error;
    g_now += 120;  // past the back-off
    ASSERT_TRUE(srv.server().Tick().ok());
    ASSERT_EQ(sink->Messages().size(), 1u);
    const std::string eml = ReadWholeFile(sink->Messages()[0]);
    EXPECT_NE(eml.find("martha.ramsden@ashbyfields.lionheartacademies.org.uk"), std::string::npos);
    EXPECT_NE(eml.find("Safeguarding concern reported"), std::string::npos);
    ASSERT_TRUE(srv.server().Tick().ok());
    EXPECT_EQ(sink->Messages().size(), 1u);  // exactly once

    // Two posts awaiting Mercia's SLT become one digest mail.
    const std::string author =
        srv.TokenFor(srv.AddUser("mercia", "willow", {{"teacher", "saxon-hill"}}, "S007"));
    srv.AddUser("mercia", "kai", {{"slt", "saxon-hill"}}, "S004");
    for (const char* text : {"Harvest festival on Friday.", "Book fair next week."}) {
      r = srv.Send("POST", "/api/v1/posts", author,
                   Json{{"account_id", "saxon-hill-facebook"}, {"text", text}}.dump());
      ASSERT_EQ(r.status, 201) << r.body;
      ASSERT_EQ(
          srv.Send("POST", "/api/v1/posts/" + r.json()["id"].get<std::string>() + "/submit", author)
              .status,
          200);
    }
    g_now += 24 * 3600;
    ASSERT_TRUE(srv.server().Tick().ok());
    int digests = 0;
    for (const std::string& f : sink->Messages()) {
      const auto parsed = notify::testing::ParseEml(f);  // decodes quoted-printable
      const Json m = Json::parse(parsed.out, nullptr, false);
      ASSERT_TRUE(m.is_object()) << parsed.out << parsed.err;
      if (m.value("to", "") != "kai.dobson@saxonhill.merciapat.org.uk") continue;
      ++digests;
      const std::string body = m.value("body", "");
      EXPECT_NE(body.find("Harvest festival"), std::string::npos) << body;
      EXPECT_NE(body.find("Book fair"), std::string::npos) << body;
    }
    EXPECT_EQ(digests, 1);
  }
  std::filesystem::remove_all(dir);
}

// Issue 7: a photo sent with a draft is looked at (the name on a certificate,
// its camera and position) and only its stripped copy is kept, approved and
// published; the checklist says what was removed and which camera took it.
TEST_P(Workflow, DraftPhotosAreReadThenStoredWithoutMetadata) {
  Start({"mercia"});
  const std::string teacher = As("mercia", "willow", "teacher", "saxon-hill", "S007");
  const std::string slt = As("mercia", "kai", "slt", "saxon-hill", "S004");
  testimg::CertificateSpec spec;
  spec.name = "Isaac Metcalfe";  // P0003 in Mercia's demo register
  spec.format = "jpeg";
  spec.angle_deg = 6;
  testimg::ExifSpec exif;
  exif.gps = {{52.4862, -1.8904}};
  exif.make = "Apple";
  exif.model = "iPhone 13";
  exif.serial = "SN-1000";  // saxon-hill-camera-1's serial
  const std::string original = testimg::WithExif(testimg::RenderCertificate(spec), exif);
  Json d = MerciaDraft("Star of the week!");
  d["images"] = {{{"name", "certificate.jpg"},
                  {"content_base64", Base64Encode(original)},
                  {"alt", "a certificate"}}};
  Reply r = Post(teacher, "/api/v1/posts", d);
  ASSERT_EQ(r.status, 201) << r.body;
  const Json post = r.json();
  const Json img = post["content"]["images"][0];
  EXPECT_EQ(img["original_sha256"], store::Sha256Hex(original));
  EXPECT_NE(img["sha256"], img["original_sha256"]);
  EXPECT_FALSE(img["metadata_removed"].empty());
  // The name on the certificate identifies a child: the checklist says so.
  std::map<std::string, Json> items;
  for (const Json& i : post["checklist"]) items[i["id"]] = i;
  EXPECT_EQ(items["identifying"]["status"], "problem") << items["identifying"] << "\n"
                                                       << img.dump().substr(0, 2000);
  EXPECT_NE(items["identifying"].dump().find("Isaac Metcalfe"), std::string::npos)
      << items["identifying"];
  // No device was chosen; the photo's serial names the approved camera.
  EXPECT_EQ(items["device"]["status"], "ok") << items["device"];
  EXPECT_NE(items["device"].dump().find("saxon-hill-camera-1"), std::string::npos);
  EXPECT_NE(items["metadata"].dump().find("GPS position"), std::string::npos) << items["metadata"];
  EXPECT_FALSE(post["ready"].get<bool>());
  // What is stored (and would be published) carries no metadata at all.
  const std::string id = post["id"];
  r = Get(slt, "/api/v1/posts/" + id + "/images/" + img["sha256"].get<std::string>());
  ASSERT_EQ(r.status, 200);
  auto md = vision::ReadMetadata(r.body);
  ASSERT_TRUE(md.ok());
  EXPECT_TRUE(md->keys.empty());
  EXPECT_EQ(store::Sha256Hex(r.body), img["sha256"]);

  // A truncated photo is refused naming the field, and nothing is stored.
  Json bad = MerciaDraft("Broken photo");
  bad["images"] = {
      {{"name", "cut.jpg"}, {"content_base64", Base64Encode(testimg::Truncated(original, 0.5))}}};
  r = Post(teacher, "/api/v1/posts", bad);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("images[0].content_base64: the image is truncated"), std::string::npos)
      << r.body;
}

// POST /api/v1/check looks inside images sent as content_base64;
// POST /api/v1/images/strip hands an image back without its metadata.
TEST_P(Workflow, CheckAndStripImagesOverHttp) {
  Start({"mercia"});
  const std::string teacher = As("mercia", "willow", "teacher", "saxon-hill", "S007");
  testimg::CertificateSpec spec;
  spec.name = "Jamie Marlow";  // P0001
  spec.format = "png";
  const Json event = {{"kind", "post"},
                      {"channel", "official"},
                      {"text", "Well done!"},
                      {"media",
                       {{{"path", "certificate.png"},
                         {"content_base64", Base64Encode(testimg::RenderCertificate(spec))}}}}};
  Reply r = Post(teacher, "/api/v1/check?trust=mercia", event);
  ASSERT_EQ(r.status, 200) << r.body;
  bool found = false;
  const Json result = r.json();
  for (const Json& f : result["findings"]) {
    if (f["rule"] != "pupil-identified") continue;
    for (const Json& e : f["evidence"]) {
      found = found ||
              (e["field"] == "media[0].text" && e["text"] == "Jamie Marlow" && e.contains("box"));
    }
  }
  EXPECT_TRUE(found) << r.body.substr(0, 3000);
  Json bomb = event;
  bomb["media"][0]["content_base64"] = Base64Encode(testimg::PngHeaderBomb(50000, 50000));
  r = Post(teacher, "/api/v1/check?trust=mercia", bomb);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("50000 x 50000 pixels"), std::string::npos) << r.body;

  testimg::ExifSpec exif;
  exif.gps = {{51.5, -0.12}};
  testimg::CertificateSpec plain;
  plain.name = "Nobody";
  plain.format = "jpeg";
  const std::string photo = testimg::WithExif(testimg::RenderCertificate(plain), exif);
  r = srv_->Send("POST", "/api/v1/images/strip", teacher, photo, "image/jpeg");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("Content-Type"), "image/jpeg");
  auto md = vision::ReadMetadata(r.body);
  ASSERT_TRUE(md.ok());
  EXPECT_FALSE(md->gps.has_value());
  EXPECT_TRUE(md->keys.empty());
  r = srv_->Send("POST", "/api/v1/images/strip", teacher, "hello", "image/jpeg");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(IsErrorShape(r));
  r = srv_->Send("POST", "/api/v1/images/strip", "", photo, "image/jpeg");
  EXPECT_EQ(r.status, 401);
}

INSTANTIATE_TEST_SUITE_P(Stores, Workflow, ::testing::Values("sqlite", "postgres"),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace gh::servertest
