// Register import/export through a real in-memory store: errors per row with
// file, line and column; all-or-nothing writes; idempotent re-import; school
// scoping; and the engine registers built from the store.
#include "model/registers_io.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "match/normalizer.h"
#include "store/audit.h"

namespace gh::model {
namespace {

using ::testing::HasSubstr;

constexpr char kSchools[] =
    "id,name\n"
    "north,North School\n"
    "south,South School\n";

constexpr char kPupils[] =
    "id,first_name,last_name,date_of_birth,school,status,photo_consent\n"
    "P1,Ada,Lovelace,2012-12-10,north,current,yes\n"
    "P2,Alan,Turing,2011-06-23,south,current,Y\n"
    "P3,Grace,Hopper,2007-12-09,north,former,no\n";

class ImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::OpenStore(":memory:");
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    auto r = ImportCsv(*store_, "t", actor_, {{"schools.csv", kSchools}}, {});
    ASSERT_TRUE(r.ok());
    ASSERT_TRUE(r->errors.empty()) << r->errors[0].ToString();
  }
  ImportReport Import(std::vector<CsvFile> files, ImportOptions options = {}) {
    auto r = ImportCsv(*store_, "t", actor_, files, options);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : ImportReport{};
  }
  size_t Count(std::string_view kind) {
    auto l = store_->List("t", kind);
    return l.ok() ? l->size() : 0;
  }
  std::unique_ptr<store::Store> store_;
  store::Actor actor_{"tester", "test"};
};

TEST_F(ImportTest, ValidRowsAreWrittenAndNormalised) {
  const ImportReport r = Import({{"pupils.csv", kPupils}});
  EXPECT_TRUE(r.errors.empty());
  EXPECT_TRUE(r.written);
  EXPECT_EQ(r.created, 3);
  auto p2 = store_->Get("t", "pupils", "P2");
  ASSERT_TRUE(p2.ok() && *p2);
  EXPECT_EQ((*p2)->school, "south");
  auto row = RowFromJson((*p2)->data);
  ASSERT_TRUE(row.ok());
  EXPECT_EQ((*row)["photo_consent"], "yes");  // "Y" normalised
  EXPECT_EQ((*row)["preferred_name"], "");    // absent column stored empty
}

TEST_F(ImportTest, EveryBadRowIsReportedWithLineAndColumnAndNothingIsWritten) {
  const std::string csv =
      "id,first_name,last_name,date_of_birth,school,status\n"
      "P1,Ada,Lovelace,2012-12-10,north,current\n"
      "P2,Alan,Turing,2011-13-23,south,current\n"  // line 3: bad month
      "P3,Grace,Hopper,2007-12-09,west,current\n"  // line 4: unknown school
      "P1,Ada,Again,2012-12-10,north,current\n"    // line 5: duplicate id
      "P4,,Nobody,2010-01-01,north,sometimes\n";   // line 6: two problems
  const ImportReport r = Import({{"pupils.csv", csv}});
  EXPECT_FALSE(r.written);
  ASSERT_EQ(r.errors.size(), 5u);
  EXPECT_EQ(r.errors[0].ToString(),
            "pupils.csv:3: date_of_birth: '2011-13-23' is not a date (YYYY-MM-DD)");
  EXPECT_EQ(r.errors[1].line, 5u);
  EXPECT_THAT(r.errors[1].message, HasSubstr("duplicate id 'P1' (first on line 2)"));
  EXPECT_EQ(r.errors[2].line, 6u);
  EXPECT_EQ(r.errors[2].column, "first_name");
  EXPECT_EQ(r.errors[3].column, "status");
  EXPECT_EQ(r.errors[4].line, 4u);
  EXPECT_EQ(r.errors[4].ToString(), "pupils.csv:4: school: 'west' is not in the schools register");
  EXPECT_EQ(Count("pupils"), 0u);
}

TEST_F(ImportTest, MissingRequiredColumnAndUnknownFileAreErrors) {
  const ImportReport r = Import({{"pupils.csv", "id,first_name\nP1,Ada\n"}, {"pets.csv", "id\n"}});
  std::vector<std::string> texts;
  for (const auto& e : r.errors) texts.push_back(e.ToString());
  EXPECT_THAT(texts, ::testing::UnorderedElementsAre(
                         "pupils.csv:1: last_name: required column is missing",
                         "pupils.csv:1: school: required column is missing",
                         ::testing::HasSubstr("pets.csv: unknown register 'pets'")));
  EXPECT_EQ(Count("pupils"), 0u);
}

TEST_F(ImportTest, MalformedCsvNamesTheLine) {
  const ImportReport r = Import({{"pupils.csv", "id,first_name,last_name,school\n\"P1,Ada\n"}});
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_THAT(r.errors[0].ToString(), HasSubstr("pupils.csv:2"));
  EXPECT_THAT(r.errors[0].ToString(), HasSubstr("unterminated"));
}

TEST_F(ImportTest, DryRunCountsButWritesNothing) {
  ImportOptions o;
  o.dry_run = true;
  const ImportReport r = Import({{"pupils.csv", kPupils}}, o);
  EXPECT_TRUE(r.errors.empty());
  EXPECT_FALSE(r.written);
  EXPECT_EQ(r.created, 3);
  EXPECT_EQ(Count("pupils"), 0u);
}

TEST_F(ImportTest, ReimportIsIdempotentAndChangesAreCounted) {
  Import({{"pupils.csv", kPupils}});
  auto head = store_->ReadAuditHead();
  ASSERT_TRUE(head.ok());
  const ImportReport again = Import({{"pupils.csv", kPupils}});
  EXPECT_EQ(again.unchanged, 3);
  EXPECT_EQ(again.created + again.updated, 0);
  auto head2 = store_->ReadAuditHead();
  ASSERT_TRUE(head2.ok());
  EXPECT_EQ(head2->seq, head->seq);  // nothing audited: nothing changed

  std::string changed = kPupils;
  changed.replace(changed.find("Lovelace"), 8, "Byron");
  const ImportReport r = Import({{"pupils.csv", changed}});
  EXPECT_EQ(r.updated, 1);
  EXPECT_EQ(r.unchanged, 2);
  auto p1 = store_->Get("t", "pupils", "P1");
  ASSERT_TRUE(p1.ok() && *p1);
  EXPECT_EQ((*p1)->version, 2);
}

TEST_F(ImportTest, ReplaceDeletesRowsTheFileNoLongerHolds) {
  Import({{"pupils.csv", kPupils}});
  ImportOptions o;
  o.replace = true;
  const ImportReport r =
      Import({{"pupils.csv", "id,first_name,last_name,school\nP1,Ada,Lovelace,north\n"}}, o);
  EXPECT_EQ(r.deleted, 2);
  EXPECT_EQ(Count("pupils"), 1u);
}

TEST_F(ImportTest, RowsInheritTheirPupilsSchoolAndScopesAreEnforced) {
  Import({{"pupils.csv", kPupils}});
  const ImportReport r = Import(
      {{"parents.csv", "id,first_name,last_name,pupil_id\nPA1,Mary,Turing,P2\nPA2,X,Y,P9\n"}});
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].ToString(), "parents.csv:3: pupil_id: 'P9' is not in the pupils register");

  ImportOptions north_only;
  north_only.allow_all_schools = false;
  north_only.allowed_schools = {"north"};
  const ImportReport scoped = Import(
      {{"parents.csv", "id,first_name,last_name,pupil_id\nPA1,Mary,Turing,P2\nPA3,Ann,L,P1\n"}},
      north_only);
  ASSERT_EQ(scoped.errors.size(), 1u);
  EXPECT_EQ(scoped.errors[0].line, 2u);
  EXPECT_THAT(scoped.errors[0].message, HasSubstr("'south' is outside your schools"));
  EXPECT_EQ(Count("parents"), 0u);

  const ImportReport ok =
      Import({{"parents.csv", "id,first_name,last_name,pupil_id\nPA1,Mary,Turing,P2\n"}});
  EXPECT_TRUE(ok.written);
  auto pa1 = store_->Get("t", "parents", "PA1");
  ASSERT_TRUE(pa1.ok() && *pa1);
  EXPECT_EQ((*pa1)->school, "south");
}

TEST_F(ImportTest, ExportRoundTripsThroughAFreshStore) {
  const std::string tricky =
      "id,first_name,last_name,preferred_name,school\n"
      "P1,\"Ann, Marie\",\"O\"\"Neill\",\"Zoë\",north\n";
  Import({{"pupils.csv", tricky}});
  auto csv = ExportCsv(*store_, "t", *FindKind("pupils"), nullptr);
  ASSERT_TRUE(csv.ok());
  EXPECT_THAT(*csv, HasSubstr("P1,\"Ann, Marie\",\"O\"\"Neill\",Zoë,,north,current"));

  auto fresh = store::OpenStore(":memory:");
  ASSERT_TRUE(fresh.ok());
  ASSERT_TRUE(ImportCsv(**fresh, "t", actor_, {{"schools.csv", kSchools}}, {}).ok());
  auto r = ImportCsv(**fresh, "t", actor_, {{"pupils.csv", *csv}}, {});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->errors.empty());
  auto again = ExportCsv(**fresh, "t", *FindKind("pupils"), nullptr);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *csv);
}

TEST_F(ImportTest, EngineRegistersTakeTheLatestConsentAndLiveSpokespeople) {
  const ImportReport imported =
      Import({{"pupils.csv", kPupils},
              {"staff.csv",
               "id,first_name,last_name,school,spokesperson\nS1,Jo,Head,north,no\n"
               "S2,Sam,Old,north,no\n"},
              {"consents.csv",
               "pupil_id,purpose,channel,status,on\n"
               "P1,photo,,granted,2024-09-01\n"
               "P1,photo,,withdrawn,2025-03-01\n"            // later: wins
               "P2,photo,facebook,withdrawn,2025-03-01\n"},  // one channel only: not the flag
              {"spokespeople.csv",
               "staff_id,authorised_by,expires_on\nS1,S1,2030-01-01\nS2,S1,2020-01-01\n"}});
  for (const auto& e : imported.errors) ADD_FAILURE() << e.ToString();
  auto n = match::Normalizer::Create();
  ASSERT_TRUE(n.ok());
  auto regs = BuildEngineRegisters(*store_, "t", *n, CivilDate{2026, 1, 1});
  ASSERT_TRUE(regs.ok()) << regs.status().message();
  EXPECT_TRUE(regs->has_pupils);
  EXPECT_FALSE(regs->has_parents);  // no records: missing, not empty
  ASSERT_NE(regs->FindPupil("P1"), nullptr);
  EXPECT_EQ(regs->FindPupil("P1")->photo_consent, std::optional<bool>(false));
  EXPECT_EQ(regs->FindPupil("P2")->photo_consent, std::optional<bool>(true));
  EXPECT_FALSE(regs->FindPupil("P3")->current);
  EXPECT_TRUE(regs->FindStaff("S1")->spokesperson);
  EXPECT_FALSE(regs->FindStaff("S2")->spokesperson);  // authorisation expired
}

TEST(Schema, NormaliseRowChecksTypesAndRoles) {
  Row row{{"domain", "https://WWW.Example.org/path"}, {"status", "Approved"}};
  EXPECT_TRUE(NormaliseRow(*FindKind("sites"), row, {}).empty());
  EXPECT_EQ(row["domain"], "example.org");
  EXPECT_EQ(row["status"], "approved");

  Row staff{{"id", "S1"},
            {"first_name", "A"},
            {"last_name", "B"},
            {"role", "wizard"},
            {"email", "not-an-email"}};
  auto errors = NormaliseRow(*FindKind("staff"), staff, {"teacher", "headteacher"});
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].column, "email");
  EXPECT_EQ(errors[1].column, "role");
  EXPECT_THAT(errors[1].message, HasSubstr("(teacher, headteacher)"));

  Row hours{
      {"school", "n"}, {"day", "mon"}, {"start", "15:00"}, {"end", "09:00"}, {"kind", "work"}};
  errors = NormaliseRow(*FindKind("hours"), hours, {});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].column, "end");
}

}  // namespace
}  // namespace gh::model
