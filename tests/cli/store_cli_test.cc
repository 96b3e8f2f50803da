// The store commands through the real binary: import (dry run, bad rows,
// idempotent re-import), export, user add, and audit verify catching an edited,
// removed and truncated trail in a real SQLite file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>

#include "process.h"

namespace gh::testing {
namespace {

using ::testing::HasSubstr;

ProcessResult Gh(std::vector<std::string> args, const std::string& in = "") {
  args.insert(args.begin(), GATEHOUSE_BIN);
  return RunProcess(args, in);
}

void Sql(const std::string& db, const std::string& sql) {
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(h, sql.c_str(), nullptr, nullptr, &err);
  EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(h);
}

TEST(StoreCli, ImportDryRunThenImportThenReimportChangesNothing) {
  TempDir dir;
  const std::string db = dir.path() + "/g.db";
  const std::string data = std::string(GATEHOUSE_SOURCE_DIR) + "/demo/chiltern/data";
  auto dry = Gh({"import", "--db", db, "--trust", "chiltern", "--dry-run", data});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_THAT(dry.out, HasSubstr("dry run: would import"));
  auto empty = Gh({"export", "--db", db, "--trust", "chiltern", "pupils"});
  ASSERT_EQ(empty.exit_code, 0) << empty.err;
  EXPECT_EQ(std::count(empty.out.begin(), empty.out.end(), '\n'), 1);  // header only

  auto first = Gh({"import", "--db", db, "--trust", "chiltern", data});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr(" 0 unchanged"));
  auto again = Gh({"import", "--db", db, "--trust", "chiltern", data});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr(" 0 new, 0 changed,"));

  auto exported = Gh({"export", "--db", db, "--trust", "chiltern", "pupils"});
  ASSERT_EQ(exported.exit_code, 0);
  // Same rows as the source file (the export writes every column of the kind).
  const std::string source = ReadWholeFile(data + "/pupils.csv");
  EXPECT_EQ(std::count(exported.out.begin(), exported.out.end(), '\n'),
            std::count(source.begin(), source.end(), '\n'));
  EXPECT_THAT(exported.out,
              HasSubstr("P0001,Jacob,Metcalfe,,2018-01-23,beech-hill,current,,yes,yes"));
}

TEST(StoreCli, BadRowsAreListedWithLinesAndNothingIsWritten) {
  TempDir dir;
  const std::string db = dir.path() + "/g.db";
  const std::string csv = dir.Write("pupils.csv",
                                    "id,first_name,last_name,school,date_of_birth\n"
                                    "P1,Ann,Lee,beech-hill,2015-01-01\n"
                                    "P2,Bo,Ray,beech-hill,2015-02-30\n"
                                    "P3,Cy,Day,nowhere,2015-03-01\n");
  auto r = Gh({"import", "--db", db, "--trust", "chiltern", csv});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("pupils.csv:3: date_of_birth: '2015-02-30' is not a date"));
  EXPECT_THAT(r.err, HasSubstr("pupils.csv:4: school: 'nowhere' is not in the schools register"));
  EXPECT_THAT(r.err, HasSubstr("nothing was written"));
  auto exported = Gh({"export", "--db", db, "--trust", "chiltern", "pupils"});
  EXPECT_THAT(exported.out, ::testing::Not(HasSubstr("P1,")));
}

TEST(StoreCli, UserAddChecksRoleAndPasswordAndRefusesDuplicates) {
  TempDir dir;
  const std::string db = dir.path() + "/g.db";
  auto bad_role = Gh({"user", "add", "--db", db, "--trust", "chiltern", "--username", "a", "--role",
                      "wizard", "--password-stdin"},
                     "a long password\n");
  EXPECT_EQ(bad_role.exit_code, 2);
  EXPECT_THAT(bad_role.err, HasSubstr("'wizard' is not a role of chiltern"));
  auto short_pw = Gh({"user", "add", "--db", db, "--trust", "chiltern", "--username", "a", "--role",
                      "it_manager", "--password-stdin"},
                     "short\n");
  EXPECT_EQ(short_pw.exit_code, 2);
  auto ok = Gh({"user", "add", "--db", db, "--trust", "chiltern", "--username", "admin", "--role",
                "it_manager", "--password-stdin"},
               "a long password\n");
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  auto dup = Gh({"user", "add", "--db", db, "--trust", "chiltern", "--username", "admin", "--role",
                 "it_manager", "--password-stdin"},
                "a long password\n");
  EXPECT_EQ(dup.exit_code, 2);
  // The password itself is nowhere in the database file.
  EXPECT_EQ(ReadWholeFile(db).find("a long password"), std::string::npos);
}

class AuditCli : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.path() + "/g.db";
    auto r = Gh({"import", "--db", db_, "--trust", "chiltern",
                 std::string(GATEHOUSE_SOURCE_DIR) + "/demo/chiltern/data"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto v = Gh({"audit", "verify", "--db", db_});
    ASSERT_EQ(v.exit_code, 0) << v.out << v.err;
    ASSERT_THAT(v.out, HasSubstr("audit trail intact"));
  }
  TempDir dir_;
  std::string db_;
};

TEST_F(AuditCli, AnEditedEntryIsFound) {
  Sql(db_, "UPDATE audit SET actor = 'someone else' WHERE seq = 10");
  auto v = Gh({"audit", "verify", "--db", db_});
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_THAT(v.out, HasSubstr("entry 10: hash does not match"));
}

TEST_F(AuditCli, ARemovedEntryIsFound) {
  Sql(db_, "DELETE FROM audit WHERE seq = 7");
  auto v = Gh({"audit", "verify", "--db", db_});
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_THAT(v.out, HasSubstr("entry 8: entries 7..7 are missing"));
}

TEST_F(AuditCli, ACutOffTailIsFoundAndAnExpectedHeadIsChecked) {
  auto before = Gh({"audit", "verify", "--db", db_});
  const std::string marker = "hash ";
  const size_t at = before.out.rfind(marker);
  ASSERT_NE(at, std::string::npos);
  const std::string head = before.out.substr(at + marker.size(), 64);
  auto same = Gh({"audit", "verify", "--db", db_, "--expect-head", head});
  EXPECT_EQ(same.exit_code, 0) << same.out;
  Sql(db_, "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)");
  auto v = Gh({"audit", "verify", "--db", db_, "--expect-head", head});
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_THAT(v.out, HasSubstr("head: the stored head"));
}

}  // namespace
}  // namespace gh::testing
