// The Store contract, run against every backend: "memory", "sqlite" (a file
// in a fresh temp folder) and "postgres" (only when GATEHOUSE_TEST_PG_URL is
// set, e.g. by `eval "$(scripts/pg.sh start)"`; each test gets its own schema).
#include "store/store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "store/audit.h"
#include "store/sql_conn.h"
#include "support/pg_schema.h"

namespace gh::store {
namespace {

using testsupport::UniqueName;
using testsupport::WithSchema;

using ::testing::HasSubstr;
using ::testing::Not;

const Actor kAlice{"alice", "api"};

std::string Data(std::string_view name) { return R"({"name":")" + std::string(name) + R"("})"; }

Change Put(std::string kind, std::string id, std::string data,
           int64_t expected = Change::kAnyVersion, std::string school = "") {
  Change c;
  c.op = Change::Op::kPut;
  c.kind = std::move(kind);
  c.id = std::move(id);
  c.school = std::move(school);
  c.data = std::move(data);
  c.expected_version = expected;
  return c;
}

Change Del(std::string kind, std::string id, int64_t expected = Change::kAnyVersion) {
  Change c;
  c.op = Change::Op::kDelete;
  c.kind = std::move(kind);
  c.id = std::move(id);
  c.expected_version = expected;
  return c;
}

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const std::string& backend = GetParam();
    if (backend == "memory") {
      location_ = ":memory:";
    } else if (backend == "sqlite") {
      dir_ = std::filesystem::temp_directory_path() / UniqueName("gh-store-");
      std::filesystem::create_directories(dir_);
      location_ = (dir_ / "gatehouse.db").string();
    } else {
      const char* url = std::getenv("GATEHOUSE_TEST_PG_URL");
      if (url == nullptr || *url == '\0') {
        GTEST_SKIP() << "GATEHOUSE_TEST_PG_URL is not set; run eval \"$(scripts/pg.sh start)\" "
                        "to test the PostgreSQL backend";
      }
      base_url_ = url;
      schema_ = UniqueName("t_");
      Result<std::unique_ptr<SqlConn>> admin = OpenPgConn(base_url_);
      ASSERT_TRUE(admin.ok()) << admin.status().message();
      ASSERT_TRUE((*admin)->Exec("CREATE SCHEMA " + schema_).ok());
      location_ = WithSchema(base_url_, schema_);
    }
    Result<std::unique_ptr<Store>> s = OpenStore(location_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
    ASSERT_EQ(store_->backend(), backend);
  }

  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
    if (!schema_.empty()) {
      Result<std::unique_ptr<SqlConn>> admin = OpenPgConn(base_url_);
      if (admin.ok()) (void)(*admin)->Exec("DROP SCHEMA " + schema_ + " CASCADE");
    }
  }

  bool IsMemory() const { return GetParam() == "memory"; }

  // Another store on the same database, as another process would open it.
  std::unique_ptr<Store> OpenAgain() {
    Result<std::unique_ptr<Store>> s = OpenStore(location_);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(s).value() : nullptr;
  }

  // A raw connection to the database, to tamper with it behind the store's back.
  std::unique_ptr<SqlConn> Raw() {
    Result<std::unique_ptr<SqlConn>> c =
        GetParam() == "sqlite" ? OpenSqliteConn(location_) : OpenPgConn(location_);
    EXPECT_TRUE(c.ok()) << c.status().message();
    return c.ok() ? std::move(c).value() : nullptr;
  }

  ApplyResult MustApply(const std::vector<Change>& changes, const Actor& actor = kAlice) {
    Result<ApplyResult> r = store_->Apply("llmat", actor, changes);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : ApplyResult{};
  }

  std::vector<AuditEntry> AllAudit() {
    Result<std::vector<AuditEntry>> r = store_->ReadAudit("", 0, 100000);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : std::vector<AuditEntry>{};
  }

  // Five audit entries (creates of p1..p5), for the tamper tests.
  void FiveEntries() {
    for (int i = 1; i <= 5; ++i) {
      MustApply({Put("pupils", "P" + std::to_string(i), Data("pupil " + std::to_string(i)))});
    }
    Result<AuditVerifyReport> v = VerifyAudit(*store_);
    ASSERT_TRUE(v.ok());
    ASSERT_TRUE(v->ok());
    ASSERT_EQ(v->entries, 5);
  }

  // The seq of the first problem VerifyAudit reports (-1 when intact).
  int64_t FirstProblem() {
    Result<AuditVerifyReport> v = VerifyAudit(*store_);
    EXPECT_TRUE(v.ok()) << v.status().message();
    if (!v.ok() || v->ok()) return -1;
    return v->problems.front().seq;
  }

  std::string location_;
  std::filesystem::path dir_;
  std::string base_url_, schema_;
  std::unique_ptr<Store> store_;
};

// ---------------------------------------------------------------- records

TEST_P(StoreTest, PutGetList) {
  ApplyResult r = MustApply({Put("pupils", "P2", Data("Bea"), Change::kMustNotExist, "riverside"),
                             Put("pupils", "P1", Data("Al")), Put("staff", "S1", Data("Sam"))});
  EXPECT_EQ(r.created, 3);
  EXPECT_EQ(r.versions, (std::vector<int64_t>{1, 1, 1}));
  EXPECT_EQ(r.written, (std::vector<bool>{true, true, true}));

  Result<std::optional<Record>> got = store_->Get("llmat", "pupils", "P2");
  ASSERT_TRUE(got.ok()) << got.status().message();
  ASSERT_TRUE(got->has_value());
  const Record& rec = **got;
  EXPECT_EQ(rec.trust, "llmat");
  EXPECT_EQ(rec.kind, "pupils");
  EXPECT_EQ(rec.id, "P2");
  EXPECT_EQ(rec.school, "riverside");
  EXPECT_EQ(rec.version, 1);
  EXPECT_EQ(rec.data, Data("Bea"));
  EXPECT_EQ(rec.updated_by, "alice");
  EXPECT_EQ(rec.updated_at.size(), 24u) << rec.updated_at;  // 2026-11-21T10:15:00.123Z

  Result<std::optional<Record>> missing = store_->Get("llmat", "pupils", "P9");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  Result<std::optional<Record>> other_trust = store_->Get("mercia", "pupils", "P2");
  ASSERT_TRUE(other_trust.ok());
  EXPECT_FALSE(other_trust->has_value());

  Result<std::vector<Record>> list = store_->List("llmat", "pupils");
  ASSERT_TRUE(list.ok()) << list.status().message();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, "P1");  // ordered by id
  EXPECT_EQ((*list)[1].id, "P2");
  EXPECT_EQ((*list)[1].school, "riverside");
  Result<std::vector<Record>> none = store_->List("llmat", "governors");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

// Batches of 256 changes or more take the SQL backend's prefetch path; the
// same record changed twice in one batch must still see its own first change.
TEST_P(StoreTest, LargeBatchSeesItsOwnChanges) {
  MustApply({Put("pupils", "P0000", Data("Old"))});
  std::vector<Change> changes;
  for (int i = 0; i < 300; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "P%04d", i);
    changes.push_back(Put("pupils", id, Data("N" + std::to_string(i))));
  }
  changes.push_back(Put("pupils", "P0001", Data("Again"), 1));  // version 1 from this batch
  Change del;
  del.op = Change::Op::kDelete;
  del.kind = "pupils";
  del.id = "P0002";
  del.expected_version = 1;
  changes.push_back(del);
  ApplyResult r = MustApply(changes);
  EXPECT_EQ(r.created, 299);
  EXPECT_EQ(r.updated, 2);  // P0000 from the earlier write, P0001 twice in this one
  EXPECT_EQ(r.deleted, 1);
  EXPECT_EQ(r.versions[0], 2);
  EXPECT_EQ(r.versions[300], 2);
  auto p1 = store_->Get("llmat", "pupils", "P0001");
  ASSERT_TRUE(p1.ok() && p1->has_value());
  EXPECT_EQ((*p1)->data, Data("Again"));
  auto list = store_->List("llmat", "pupils");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 299u);
}

TEST_P(StoreTest, ListOrdersIdsByteWise) {
  MustApply({Put("pupils", "b", Data("1")), Put("pupils", "B", Data("2")),
             Put("pupils", "a-2", Data("3")), Put("pupils", "a.1", Data("4")),
             Put("pupils", "A", Data("5"))});
  Result<std::vector<Record>> list = store_->List("llmat", "pupils");
  ASSERT_TRUE(list.ok());
  std::vector<std::string> ids;
  for (const Record& r : *list) ids.push_back(r.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"A", "B", "a-2", "a.1", "b"}));
}

TEST_P(StoreTest, UpdateBumpsVersionAndChecksExpectedVersion) {
  MustApply({Put("pupils", "P1", Data("Al"))});
  ApplyResult r = MustApply({Put("pupils", "P1", Data("Alan"), 1)}, {"bob", "cli"});
  EXPECT_EQ(r.updated, 1);
  EXPECT_EQ(r.versions, (std::vector<int64_t>{2}));
  Result<std::optional<Record>> got = store_->Get("llmat", "pupils", "P1");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->version, 2);
  EXPECT_EQ((*got)->data, Data("Alan"));
  EXPECT_EQ((*got)->updated_by, "bob");

  // Stale version.
  Result<ApplyResult> stale = store_->Apply("llmat", kAlice, {Put("pupils", "P1", Data("X"), 1)});
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.status().code(), Status::Code::kConflict);
  EXPECT_THAT(stale.status().message(), HasSubstr("pupils/P1"));
  EXPECT_THAT(stale.status().message(), HasSubstr("expected version 1"));
  EXPECT_THAT(stale.status().message(), HasSubstr("found version 2"));

  // Must not exist, but it does.
  Result<ApplyResult> exists =
      store_->Apply("llmat", kAlice, {Put("pupils", "P1", Data("Y"), Change::kMustNotExist)});
  ASSERT_FALSE(exists.ok());
  EXPECT_EQ(exists.status().code(), Status::Code::kConflict);
  EXPECT_THAT(exists.status().message(), HasSubstr("pupils/P1"));
  EXPECT_THAT(exists.status().message(), HasSubstr("version 2 exists"));

  // An exact version for a record that does not exist.
  Result<ApplyResult> absent = store_->Apply("llmat", kAlice, {Put("pupils", "P7", Data("Z"), 3)});
  ASSERT_FALSE(absent.ok());
  EXPECT_EQ(absent.status().code(), Status::Code::kConflict);
  EXPECT_THAT(absent.status().message(), HasSubstr("pupils/P7"));

  got = store_->Get("llmat", "pupils", "P1");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->data, Data("Alan"));
}

TEST_P(StoreTest, ApplyIsAllOrNothing) {
  MustApply({Put("pupils", "P1", Data("Al"))});
  Result<AuditHead> head_before = store_->ReadAuditHead();
  ASSERT_TRUE(head_before.ok());
  Result<int64_t> gen_before = store_->Generation("llmat");
  ASSERT_TRUE(gen_before.ok());

  Result<ApplyResult> r = store_->Apply(
      "llmat", kAlice,
      {Put("pupils", "P2", Data("Bea"), Change::kMustNotExist), Put("staff", "S1", Data("Sam")),
       Put("pupils", "P1", Data("Al2"), 5), Put("pupils", "P3", Data("Cy"))});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kConflict);
  EXPECT_THAT(r.status().message(), HasSubstr("change 3"));
  EXPECT_THAT(r.status().message(), HasSubstr("pupils/P1"));

  for (auto [kind, id] : {std::pair{"pupils", "P2"}, {"staff", "S1"}, {"pupils", "P3"}}) {
    Result<std::optional<Record>> got = store_->Get("llmat", kind, id);
    ASSERT_TRUE(got.ok());
    EXPECT_FALSE(got->has_value()) << kind << "/" << id << " was written";
  }
  Result<std::optional<Record>> p1 = store_->Get("llmat", "pupils", "P1");
  ASSERT_TRUE(p1.ok() && p1->has_value());
  EXPECT_EQ((*p1)->version, 1);
  Result<AuditHead> head_after = store_->ReadAuditHead();
  ASSERT_TRUE(head_after.ok());
  EXPECT_EQ(head_after->seq, head_before->seq);
  EXPECT_EQ(head_after->hash, head_before->hash);
  EXPECT_EQ(*store_->Generation("llmat"), *gen_before);
}

TEST_P(StoreTest, UnchangedRePutWritesNothing) {
  MustApply({Put("pupils", "P1", Data("Al"), Change::kAnyVersion, "riverside"),
             Put("pupils", "P2", Data("Bea"))});
  const int64_t gen = *store_->Generation("llmat");
  const int64_t seq = store_->ReadAuditHead()->seq;

  ApplyResult r = MustApply({Put("pupils", "P1", Data("Al"), Change::kAnyVersion, "riverside"),
                             Put("pupils", "P2", Data("Bea"), 1)},
                            {"bob", "import"});
  EXPECT_EQ(r.unchanged, 2);
  EXPECT_EQ(r.created + r.updated + r.deleted, 0);
  EXPECT_EQ(r.versions, (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(r.written, (std::vector<bool>{false, false}));
  EXPECT_EQ(*store_->Generation("llmat"), gen);
  EXPECT_EQ(store_->ReadAuditHead()->seq, seq);
  EXPECT_EQ((*store_->Get("llmat", "pupils", "P1"))->updated_by, "alice");

  // A different school is a change.
  r = MustApply({Put("pupils", "P1", Data("Al"), Change::kAnyVersion, "hilltop")});
  EXPECT_EQ(r.updated, 1);
  EXPECT_EQ(r.versions, (std::vector<int64_t>{2}));
}

TEST_P(StoreTest, Delete) {
  MustApply({Put("pupils", "P1", Data("Al")), Put("pupils", "P2", Data("Bea"))});
  Result<ApplyResult> stale = store_->Apply("llmat", kAlice, {Del("pupils", "P1", 4)});
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.status().code(), Status::Code::kConflict);

  ApplyResult r = MustApply({Del("pupils", "P1", 1), Del("pupils", "P9")});
  EXPECT_EQ(r.deleted, 1);
  EXPECT_EQ(r.unchanged, 1);  // deleting what is not there writes nothing
  EXPECT_EQ(r.versions, (std::vector<int64_t>{0, 0}));
  EXPECT_EQ(r.written, (std::vector<bool>{true, false}));
  EXPECT_FALSE(store_->Get("llmat", "pupils", "P1")->has_value());
  EXPECT_EQ(store_->List("llmat", "pupils")->size(), 1u);

  // Re-created after a delete: version 1 again, and must-not-exist passes.
  r = MustApply({Put("pupils", "P1", Data("Al"), Change::kMustNotExist)});
  EXPECT_EQ(r.created, 1);
  EXPECT_EQ(r.versions, (std::vector<int64_t>{1}));

  std::vector<AuditEntry> audit = AllAudit();
  ASSERT_EQ(audit.size(), 4u);
  EXPECT_EQ(audit[2].action, "delete");
  EXPECT_EQ(audit[2].kind, "pupils");
  EXPECT_EQ(audit[2].id, "P1");
  EXPECT_THAT(audit[2].before, HasSubstr(Data("Al")));
  EXPECT_EQ(audit[2].after, "");
}

TEST_P(StoreTest, SeveralChangesToOneRecordInOneApply) {
  ApplyResult r = MustApply({Put("pupils", "P1", Data("a"), Change::kMustNotExist),
                             Put("pupils", "P1", Data("b"), 1), Del("pupils", "P1", 2),
                             Put("pupils", "P1", Data("c"), Change::kMustNotExist)});
  EXPECT_EQ(r.versions, (std::vector<int64_t>{1, 2, 0, 1}));
  Result<std::optional<Record>> got = store_->Get("llmat", "pupils", "P1");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->data, Data("c"));
  EXPECT_EQ((*got)->version, 1);
  EXPECT_EQ(AllAudit().size(), 4u);
}

TEST_P(StoreTest, RejectsBadChanges) {
  Result<ApplyResult> r = store_->Apply("llmat", kAlice, {Put("pupils", "P1", "not json")});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  r = store_->Apply("llmat", kAlice, {Put("pupils", "P1", "[1,2]")});
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  r = store_->Apply("llmat", kAlice, {Put("pupils", "", Data("x"))});
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  r = store_->Apply("", kAlice, {Put("pupils", "P1", Data("x"))});
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(AllAudit().empty());
}

TEST_P(StoreTest, GenerationGrowsPerTrust) {
  EXPECT_EQ(*store_->Generation("llmat"), 0);
  MustApply({Put("pupils", "P1", Data("Al"))});
  const int64_t g1 = *store_->Generation("llmat");
  EXPECT_GT(g1, 0);
  MustApply({Put("pupils", "P1", Data("Al2"))});
  const int64_t g2 = *store_->Generation("llmat");
  EXPECT_GT(g2, g1);
  MustApply({Del("pupils", "P1")});
  EXPECT_GT(*store_->Generation("llmat"), g2);
  EXPECT_EQ(*store_->Generation("mercia"), 0);
  ASSERT_TRUE(store_->Apply("mercia", kAlice, {Put("pupils", "P1", Data("M"))}).ok());
  EXPECT_GT(*store_->Generation("mercia"), 0);
}

// ---------------------------------------------------------------- accounts

User MakeUser(std::string trust, std::string username) {
  User u;
  u.trust = std::move(trust);
  u.username = std::move(username);
  u.display_name = "Dee Head";
  u.staff_id = "S001";
  u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2VjcmV0c2FsdA$SECRETHASHVALUE";
  u.roles = {{"dsl", ""}, {"head", "riverside"}};
  return u;
}

TEST_P(StoreTest, Users) {
  Result<int64_t> id = store_->CreateUser(MakeUser("llmat", "dee"), kAlice);
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_GT(*id, 0);

  Result<std::optional<User>> found = store_->FindUser("llmat", "dee");
  ASSERT_TRUE(found.ok() && found->has_value()) << found.status().message();
  const User& u = **found;
  EXPECT_EQ(u.id, *id);
  EXPECT_EQ(u.trust, "llmat");
  EXPECT_EQ(u.display_name, "Dee Head");
  EXPECT_EQ(u.staff_id, "S001");
  EXPECT_EQ(u.password_hash, MakeUser("", "").password_hash);
  ASSERT_EQ(u.roles.size(), 2u);
  EXPECT_EQ(u.roles[1].role, "head");
  EXPECT_EQ(u.roles[1].school, "riverside");
  EXPECT_FALSE(u.disabled);
  EXPECT_EQ(u.version, 1);
  EXPECT_FALSE(u.created_at.empty());

  Result<std::optional<User>> by_id = store_->GetUser(*id);
  ASSERT_TRUE(by_id.ok() && by_id->has_value());
  EXPECT_EQ((*by_id)->username, "dee");
  EXPECT_FALSE(store_->GetUser(*id + 100)->has_value());
  EXPECT_FALSE(store_->FindUser("mercia", "dee")->has_value());

  // Duplicate username in the trust; the same name in another trust is fine.
  Result<int64_t> dup = store_->CreateUser(MakeUser("llmat", "dee"), kAlice);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), Status::Code::kConflict);
  EXPECT_THAT(dup.status().message(), HasSubstr("dee"));
  Result<int64_t> other = store_->CreateUser(MakeUser("mercia", "dee"), kAlice);
  ASSERT_TRUE(other.ok()) << other.status().message();
  EXPECT_NE(*other, *id);
  ASSERT_TRUE(store_->CreateUser(MakeUser("llmat", "al"), kAlice).ok());

  Result<std::vector<User>> list = store_->ListUsers("llmat");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);

  // Update, then a stale update.
  User changed = u;
  changed.display_name = "Dee H";
  changed.disabled = true;
  changed.roles = {{"viewer", ""}};
  changed.password_hash = "$argon2id$NEWSECRETHASH";
  Result<int64_t> v = store_->UpdateUser(changed, kAlice);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(*v, 2);
  Result<std::optional<User>> after = store_->GetUser(*id);
  ASSERT_TRUE(after.ok() && after->has_value());
  EXPECT_EQ((*after)->display_name, "Dee H");
  EXPECT_TRUE((*after)->disabled);
  ASSERT_EQ((*after)->roles.size(), 1u);
  EXPECT_EQ((*after)->roles[0].role, "viewer");
  EXPECT_EQ((*after)->version, 2);

  changed.display_name = "stale";
  Result<int64_t> stale = store_->UpdateUser(changed, kAlice);  // still version 1
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.status().code(), Status::Code::kConflict);
  User ghost = changed;
  ghost.id = 9999;
  EXPECT_EQ(store_->UpdateUser(ghost, kAlice).status().code(), Status::Code::kNotFound);

  // Audited, with the password hash redacted.
  std::vector<AuditEntry> audit = AllAudit();
  ASSERT_EQ(audit.size(), 4u);
  EXPECT_EQ(audit[0].action, "user.create");
  EXPECT_EQ(audit[0].trust, "llmat");
  EXPECT_EQ(audit[3].action, "user.update");
  EXPECT_THAT(audit[3].after, HasSubstr("Dee H"));
  EXPECT_THAT(audit[3].after, HasSubstr("[REDACTED, changed]"));
  for (const AuditEntry& e : audit) {
    EXPECT_THAT(e.before, Not(HasSubstr("SECRETHASH")));
    EXPECT_THAT(e.after, Not(HasSubstr("SECRETHASH")));
    EXPECT_THAT(e.after, Not(HasSubstr("argon2id")));
  }
}

TEST_P(StoreTest, Credentials) {
  Result<int64_t> uid = store_->CreateUser(MakeUser("llmat", "dee"), kAlice);
  ASSERT_TRUE(uid.ok());
  const std::string hash = Sha256Hex("secret-token");
  Credential c;
  c.token_hash = hash;
  c.user_id = *uid;
  c.kind = "api";
  c.name = "sync job";
  c.expires_at = "2027-01-01T00:00:00.000Z";
  ASSERT_TRUE(store_->CreateCredential(c, kAlice).ok());

  Result<std::optional<Credential>> found = store_->FindCredential(hash);
  ASSERT_TRUE(found.ok() && found->has_value()) << found.status().message();
  EXPECT_EQ((*found)->user_id, *uid);
  EXPECT_EQ((*found)->kind, "api");
  EXPECT_EQ((*found)->name, "sync job");
  EXPECT_EQ((*found)->expires_at, "2027-01-01T00:00:00.000Z");
  EXPECT_FALSE((*found)->created_at.empty());
  EXPECT_FALSE((*found)->revoked);
  EXPECT_FALSE(store_->FindCredential(Sha256Hex("other"))->has_value());

  Credential session = c;
  session.token_hash = Sha256Hex("session-cookie");
  session.kind = "session";
  session.name = "";
  session.expires_at = "";
  ASSERT_TRUE(store_->CreateCredential(session, kAlice).ok());
  EXPECT_EQ(store_->ListCredentials(*uid)->size(), 2u);
  EXPECT_TRUE(store_->ListCredentials(*uid + 1)->empty());

  EXPECT_EQ(store_->CreateCredential(c, kAlice).code(), Status::Code::kConflict);
  Credential orphan = c;
  orphan.token_hash = Sha256Hex("orphan");
  orphan.user_id = 4242;
  EXPECT_EQ(store_->CreateCredential(orphan, kAlice).code(), Status::Code::kNotFound);

  ASSERT_TRUE(store_->RevokeCredential(hash, kAlice).ok());
  EXPECT_TRUE((*store_->FindCredential(hash))->revoked);
  EXPECT_EQ(store_->RevokeCredential(Sha256Hex("nope"), kAlice).code(), Status::Code::kNotFound);

  std::vector<AuditEntry> audit = AllAudit();
  ASSERT_EQ(audit.size(), 4u);  // user.create, token.create x2, token.revoke
  EXPECT_EQ(audit[1].action, "token.create");
  EXPECT_EQ(audit[1].id, hash.substr(0, 8));
  EXPECT_EQ(audit[3].action, "token.revoke");
  EXPECT_EQ(audit[3].id, hash.substr(0, 8));
  EXPECT_EQ(audit[3].trust, "llmat");
  for (const AuditEntry& e : audit) {
    EXPECT_THAT(e.before + e.after + e.id, Not(HasSubstr(hash)));
    EXPECT_THAT(e.before + e.after + e.id, Not(HasSubstr(session.token_hash)));
  }
  Result<AuditVerifyReport> v = VerifyAudit(*store_);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok());
}

TEST_P(StoreTest, LoginFailures) {
  ASSERT_TRUE(store_->RecordLoginFailure("llmat/dee", "2026-11-21T10:00:00.000Z").ok());
  ASSERT_TRUE(store_->RecordLoginFailure("llmat/dee", "2026-11-21T10:05:00.000Z").ok());
  ASSERT_TRUE(store_->RecordLoginFailure("llmat/dee", "2026-11-21T10:10:00.000Z").ok());
  ASSERT_TRUE(store_->RecordLoginFailure("llmat/al", "2026-11-21T10:10:00.000Z").ok());
  EXPECT_EQ(*store_->CountLoginFailures("llmat/dee", "2026-11-21T00:00:00.000Z"), 3);
  EXPECT_EQ(*store_->CountLoginFailures("llmat/dee", "2026-11-21T10:05:00.000Z"), 2);
  EXPECT_EQ(*store_->CountLoginFailures("llmat/dee", "2026-11-21T10:10:00.001Z"), 0);
  EXPECT_EQ(*store_->CountLoginFailures("llmat/nobody", "2026-01-01T00:00:00.000Z"), 0);
  ASSERT_TRUE(store_->ClearLoginFailures("llmat/dee").ok());
  EXPECT_EQ(*store_->CountLoginFailures("llmat/dee", "2026-01-01T00:00:00.000Z"), 0);
  EXPECT_EQ(*store_->CountLoginFailures("llmat/al", "2026-01-01T00:00:00.000Z"), 1);
  EXPECT_TRUE(AllAudit().empty());  // not audited
}

// ---------------------------------------------------------------- audit

TEST_P(StoreTest, AuditEntriesChainAndVerify) {
  Result<AuditHead> empty = store_->ReadAuditHead();
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->seq, 0);
  EXPECT_EQ(empty->hash, kZeroHash);

  MustApply({Put("pupils", "P1", Data("Al"), Change::kAnyVersion, "riverside")});
  MustApply({Put("pupils", "P1", Data("Al2"), 1)});
  ASSERT_TRUE(store_->Apply("mercia", {"bob", "cli"}, {Put("staff", "S1", Data("Sam"))}).ok());
  ASSERT_TRUE(store_->AppendAudit("llmat", kAlice, "export", "pupils", "", R"({"rows":2})").ok());
  EXPECT_EQ(store_->AppendAudit("llmat", kAlice, "export", "", "", "{bad").code(),
            Status::Code::kInvalidArgument);

  std::vector<AuditEntry> audit = AllAudit();
  ASSERT_EQ(audit.size(), 4u);
  for (size_t i = 0; i < audit.size(); ++i) {
    EXPECT_EQ(audit[i].seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ(audit[i].prev_hash, i == 0 ? std::string(kZeroHash) : audit[i - 1].hash);
    EXPECT_EQ(audit[i].hash, AuditHash(audit[i]));
  }
  EXPECT_EQ(audit[0].action, "create");
  EXPECT_EQ(audit[0].actor, "alice");
  EXPECT_EQ(audit[0].via, "api");
  EXPECT_EQ(audit[0].before, "");
  EXPECT_EQ(audit[0].after, R"({"data":{"name":"Al"},"school":"riverside"})");
  EXPECT_EQ(audit[1].action, "update");
  EXPECT_EQ(audit[1].before, audit[0].after);
  EXPECT_EQ(audit[2].trust, "mercia");
  EXPECT_EQ(audit[2].actor, "bob");
  EXPECT_EQ(audit[2].via, "cli");
  EXPECT_EQ(audit[3].action, "export");
  EXPECT_EQ(audit[3].after, R"({"rows":2})");

  Result<std::vector<AuditEntry>> llmat = store_->ReadAudit("llmat", 0, 100);
  ASSERT_TRUE(llmat.ok());
  ASSERT_EQ(llmat->size(), 3u);
  EXPECT_EQ((*llmat)[2].seq, 4);
  Result<std::vector<AuditEntry>> page = store_->ReadAudit("", 1, 2);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].seq, 2);
  EXPECT_EQ((*page)[1].seq, 3);

  Result<AuditVerifyReport> v = VerifyAudit(*store_);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_TRUE(v->ok()) << v->problems.front().what;
  EXPECT_EQ(v->entries, 4);
  EXPECT_EQ(v->head.seq, 4);
  EXPECT_EQ(v->head.hash, store_->ReadAuditHead()->hash);
}

TEST_P(StoreTest, TamperEditedEntry) {
  if (IsMemory()) GTEST_SKIP() << "no raw access to the memory backend";
  FiveEntries();
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  ASSERT_TRUE(raw->Execute("UPDATE audit SET after = $1 WHERE seq = 3",
                           {std::string(R"({"data":{"name":"someone else"},"school":""})")})
                  .ok());
  EXPECT_EQ(FirstProblem(), 3);
}

TEST_P(StoreTest, TamperDeletedMiddleEntry) {
  if (IsMemory()) GTEST_SKIP() << "no raw access to the memory backend";
  FiveEntries();
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  ASSERT_TRUE(raw->Execute("DELETE FROM audit WHERE seq = 3", {}).ok());
  EXPECT_EQ(FirstProblem(), 4);
  Result<AuditVerifyReport> v = VerifyAudit(*store_);
  ASSERT_TRUE(v.ok());
  EXPECT_THAT(v->problems.front().what, HasSubstr("3..3 are missing"));
}

TEST_P(StoreTest, TamperSwappedEntries) {
  if (IsMemory()) GTEST_SKIP() << "no raw access to the memory backend";
  FiveEntries();
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  ASSERT_TRUE(raw->Begin().ok());
  ASSERT_TRUE(raw->Execute("UPDATE audit SET seq = -1 WHERE seq = 2", {}).ok());
  ASSERT_TRUE(raw->Execute("UPDATE audit SET seq = 2 WHERE seq = 3", {}).ok());
  ASSERT_TRUE(raw->Execute("UPDATE audit SET seq = 3 WHERE seq = -1", {}).ok());
  ASSERT_TRUE(raw->Commit().ok());
  EXPECT_EQ(FirstProblem(), 2);
}

TEST_P(StoreTest, TamperDeletedLastEntry) {
  if (IsMemory()) GTEST_SKIP() << "no raw access to the memory backend";
  FiveEntries();
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  ASSERT_TRUE(raw->Execute("DELETE FROM audit WHERE seq = 5", {}).ok());
  EXPECT_EQ(FirstProblem(), 0);  // 0 = the head
  Result<AuditVerifyReport> v = VerifyAudit(*store_);
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->problems.size(), 1u);
  EXPECT_THAT(v->problems[0].what, HasSubstr("cut off the end"));
}

// ---------------------------------------------------------------- concurrency

// Reads the counter of llmat/counters/c, adds one and writes it back with the
// version it read, retrying on Conflict. Returns false on any other error.
bool Increment(Store& store, int* conflicts) {
  for (int attempt = 0; attempt < 10000; ++attempt) {
    Result<std::optional<Record>> got = store.Get("llmat", "counters", "c");
    if (!got.ok() || !got->has_value()) {
      ADD_FAILURE() << "read failed: " << got.status().message();
      return false;
    }
    const std::string& data = (*got)->data;  // {"n":"<digits>"}
    const size_t start = data.find(":\"") + 2;
    const int n = std::stoi(data.substr(start, data.find('"', start) - start));
    Result<ApplyResult> r = store.Apply(
        "llmat", {"worker", "api"},
        {Put("counters", "c", R"({"n":")" + std::to_string(n + 1) + R"("})", (*got)->version)});
    if (r.ok()) return true;
    if (r.status().code() != Status::Code::kConflict) {
      ADD_FAILURE() << "apply failed: " << r.status().message();
      return false;
    }
    ++*conflicts;
  }
  ADD_FAILURE() << "gave up after 10000 conflicts";
  return false;
}

TEST_P(StoreTest, ConcurrentIncrementsFromSeparateStores) {
  constexpr int kThreads = 8;
  constexpr int kIncrements = 50;
  MustApply({Put("counters", "c", R"({"n":"0"})", Change::kMustNotExist)});

  // Each thread has its own store (its own connections), as separate
  // processes would; the memory backend can only share one.
  std::vector<std::unique_ptr<Store>> stores;
  for (int t = 0; t < kThreads; ++t) {
    if (IsMemory()) break;
    stores.push_back(OpenAgain());
    ASSERT_NE(stores.back(), nullptr);
  }
  std::atomic<int> conflicts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    Store& s = IsMemory() ? *store_ : *stores[static_cast<size_t>(t)];
    threads.emplace_back([&s, &conflicts] {
      int mine = 0;
      for (int i = 0; i < kIncrements; ++i) {
        if (!Increment(s, &mine)) break;
      }
      conflicts += mine;
    });
  }
  for (std::thread& th : threads) th.join();

  Result<std::optional<Record>> got = store_->Get("llmat", "counters", "c");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->data, R"({"n":"400"})");
  EXPECT_EQ((*got)->version, 1 + kThreads * kIncrements);
  Result<AuditVerifyReport> v = VerifyAudit(*store_);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_TRUE(v->ok()) << v->problems.front().what;
  EXPECT_EQ(v->entries, 1 + kThreads * kIncrements);
  RecordProperty("conflicts", conflicts.load());
}

TEST_P(StoreTest, ConcurrentWritersOnOneStore) {
  // Many threads on one store share its connection pool; every write lands.
  constexpr int kThreads = 6;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t, &failures] {
      for (int i = 0; i < 10; ++i) {
        const std::string id = "T" + std::to_string(t) + "-" + std::to_string(i);
        Result<ApplyResult> r =
            store_->Apply("llmat", kAlice, {Put("pupils", id, Data(id), Change::kMustNotExist)});
        if (!r.ok()) ++failures;
        if (!store_->AppendAudit("llmat", kAlice, "view", "pupils", id, "").ok()) ++failures;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(store_->List("llmat", "pupils")->size(), 60u);
  Result<AuditVerifyReport> v = VerifyAudit(*store_);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok());
  EXPECT_EQ(v->entries, 120);
}

// ---------------------------------------------------------------- opening

TEST_P(StoreTest, OpenTheSameDatabaseAgain) {
  if (IsMemory()) GTEST_SKIP() << "each :memory: store is its own database";
  MustApply({Put("pupils", "P1", Data("Al"))});
  std::unique_ptr<Store> again = OpenAgain();  // migrations already applied
  ASSERT_NE(again, nullptr);
  Result<std::optional<Record>> got = again->Get("llmat", "pupils", "P1");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->data, Data("Al"));
  ASSERT_TRUE(again->Apply("llmat", kAlice, {Put("pupils", "P2", Data("Bea"))}).ok());
  EXPECT_EQ(store_->List("llmat", "pupils")->size(), 2u);
  Result<AuditVerifyReport> v = VerifyAudit(*store_);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok());
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  Result<std::vector<SqlRow>> rows =
      raw->Query("SELECT name FROM schema_migrations ORDER BY name", {});
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 2u);  // each applied once, in name (timestamp) order
  EXPECT_EQ((*rows)[0][0].value_or(""), "20261121T090000_initial");
  EXPECT_EQ((*rows)[1][0].value_or(""), "20261121T230000_drop_records_by_school");
}

TEST_P(StoreTest, OpenManyAtOnceOnAFreshDatabase) {
  if (IsMemory()) GTEST_SKIP() << "each :memory: store is its own database";
  // A fresh database (a new file or schema) opened by several "processes" at
  // once: exactly one applies the migrations, none fails.
  std::string fresh;
  if (GetParam() == "sqlite") {
    fresh = (dir_ / "fresh.db").string();
  } else {
    auto raw = Raw();
    ASSERT_NE(raw, nullptr);
    ASSERT_TRUE(raw->Exec("CREATE SCHEMA " + schema_ + "_b").ok());
    fresh = WithSchema(base_url_, schema_ + "_b");
  }
  std::vector<std::thread> threads;
  std::vector<std::string> errors(6);
  for (size_t t = 0; t < errors.size(); ++t) {
    threads.emplace_back([&, t] {
      Result<std::unique_ptr<Store>> s = OpenStore(fresh);
      if (!s.ok()) errors[t] = s.status().message();
    });
  }
  for (std::thread& th : threads) th.join();
  for (const std::string& e : errors) EXPECT_EQ(e, "");
  if (GetParam() == "postgres") {
    auto raw = Raw();
    ASSERT_NE(raw, nullptr);
    EXPECT_TRUE(raw->Exec("DROP SCHEMA " + schema_ + "_b CASCADE").ok());
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("memory", "sqlite", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           return param.param;
                         });

// ---------------------------------------------------------------- errors

TEST(OpenStoreTest, SqliteFileInAMissingFolder) {
  const std::string path = "/nonexistent-gatehouse-folder/sub/gatehouse.db";
  Result<std::unique_ptr<Store>> s = OpenStore(path);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.status().message(), HasSubstr(path));
  EXPECT_THAT(s.status().message(), HasSubstr("does not exist"));
}

TEST(OpenStoreTest, UnreachablePostgres) {
  // Port 1 on loopback refuses at once; the password is not echoed back.
  const std::string url = "postgresql://gh:hunter2@127.0.0.1:1/gatehouse?connect_timeout=3";
  Result<std::unique_ptr<Store>> s = OpenStore(url);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.status().message(), HasSubstr("cannot connect to PostgreSQL"));
  EXPECT_THAT(s.status().message(), HasSubstr("127.0.0.1:1"));
  EXPECT_THAT(s.status().message(), Not(HasSubstr("hunter2")));
}

TEST(OpenStoreTest, EmptyLocation) {
  Result<std::unique_ptr<Store>> s = OpenStore("");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kInvalidArgument);
}

TEST(OpenStoreTest, RedactsUrlPasswords) {
  EXPECT_EQ(RedactUrl("postgresql://u:pw@h:5/db?x=1"), "postgresql://u:***@h:5/db?x=1");
  EXPECT_EQ(RedactUrl("postgresql://u@h/db"), "postgresql://u@h/db");
  EXPECT_EQ(RedactUrl("postgresql:///db?host=/tmp"), "postgresql:///db?host=/tmp");
}

}  // namespace
}  // namespace gh::store
