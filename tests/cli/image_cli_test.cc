// Images through the real binary (issue 7): a pupil's name on a certificate,
// faces without consent, a photo's location and camera, logos, metadata
// stripped, and every kind of bad image answered with one clear line.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "process.h"
#include "support/images/test_images.h"

using gh::testing::RunProcess;
using gh::testing::TempDir;
using nlohmann::json;
namespace testimg = gh::testimg;

namespace {

const std::string kBin = GATEHOUSE_BIN;

const char kPupils[] =
    "id,first_name,last_name,preferred_name,date_of_birth,school,status,left_on,photo_consent,"
    "social_media_consent\n"
    "P1,Marisol,Okafor,,2015-03-02,saxon-hill,current,,yes,yes\n"
    "P2,Dawid,Nowak,,2014-09-12,saxon-hill,current,,no,yes\n";

std::vector<json> Lines(const std::string& out) {
  std::vector<json> v;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) v.push_back(json::parse(line));
  return v;
}

const json* FindingOf(const json& result, const std::string& rule) {
  for (const json& f : result["findings"]) {
    if (f["rule"] == rule) return &f;
  }
  return nullptr;
}

std::string Jpeg(const std::string& sample_or_empty) {
  if (!sample_or_empty.empty()) {
    if (auto s = testimg::SamplePicture(sample_or_empty)) return *s;
  }
  testimg::CertificateSpec spec;
  spec.name = "Nobody Here";
  spec.format = "jpeg";
  return testimg::RenderCertificate(spec);
}

TEST(ImageCli, ANameOnACertificateIsFoundWithItsBox) {
  TempDir tmp;
  tmp.Write("data/pupils.csv", kPupils);
  testimg::CertificateSpec spec;
  spec.name = "Marisol Okafor";
  spec.font_family = "Liberation Serif";
  spec.angle_deg = 9;
  spec.format = "jpeg";
  testimg::Box where;
  tmp.Write("photos/certificate.jpg", testimg::RenderCertificate(spec, &where));
  spec.name = "Wilhelmina Achterberg";  // not a pupil
  tmp.Write("photos/other.jpg", testimg::RenderCertificate(spec));
  const std::string events =
      tmp.Write("events.jsonl",
                "{\"kind\":\"post\",\"channel\":\"official\",\"text\":\"Well done!\","
                "\"media\":[{\"path\":\"photos/certificate.jpg\"}]}\n"
                "{\"kind\":\"post\",\"channel\":\"official\",\"text\":\"Well done!\","
                "\"media\":[{\"path\":\"photos/other.jpg\"}]}\n");
  const auto r = RunProcess({kBin, "check", "--trust", "lt2", "--data", tmp.path() + "/data",
                             "--jsonl", events, "--now", "2026-11-21T10:00:00Z"});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  const auto results = Lines(r.out);
  ASSERT_EQ(results.size(), 2u) << r.out;
  const json* f = FindingOf(results[0], "pupil-identified");
  ASSERT_NE(f, nullptr) << results[0];
  EXPECT_EQ(f->at("verdict"), "block");
  const json& ev = f->at("evidence").at(0);
  EXPECT_EQ(ev["field"], "media[0].text");
  EXPECT_EQ(ev["text"], "Marisol Okafor");
  ASSERT_TRUE(ev.contains("box"));
  const int x = ev["box"]["x"], y = ev["box"]["y"], w = ev["box"]["w"], h = ev["box"]["h"];
  // The box lies on the name as drawn.
  EXPECT_LT(std::abs(x + w / 2 - (where.x + where.w / 2)), where.w / 4);
  EXPECT_LT(std::abs(y + h / 2 - (where.y + where.h / 2)), where.h);
  EXPECT_EQ(FindingOf(results[1], "pupil-identified"), nullptr) << results[1];
}

TEST(ImageCli, FacesBeyondConsentAndAPhotosLocationAndCamera) {
  auto photo = testimg::ComposeFaces(3, 7);
  if (!photo) GTEST_SKIP() << "opencv-doc's sample pictures are not installed";
  TempDir tmp;
  tmp.Write("data/pupils.csv", kPupils);
  tmp.Write("data/devices.csv",
            "id,description,serial,school,status\nCAM-1,Office camera,083021009999,saxon-hill,"
            "approved\n");
  // A second photo from a camera that is not registered, with the position
  // of a park.
  testimg::ExifSpec exif;
  exif.gps = {{52.4862, -1.8904}};
  exif.make = "Canon";
  exif.model = "Canon EOS 250D";
  exif.serial = "093021004512";
  tmp.Write("photos/team.png", photo->bytes);
  const std::string camera_jpeg = testimg::WithExif(Jpeg("building.jpg"), exif);
  tmp.Write("photos/building.jpg", camera_jpeg);
  const std::string event = tmp.Write(
      "event.json",
      "{\"kind\":\"post\",\"channel\":\"official\",\"text\":\"Our team!\",\"tags\":[\"P1\"],"
      "\"media\":[{\"path\":\"photos/team.png\",\"adults\":1},"
      "{\"path\":\"photos/building.jpg\",\"alt\":\"the children outside school\"}]}");
  const auto r = RunProcess({kBin, "check", "--trust", "lt2", "--data", tmp.path() + "/data",
                             "--format", "json", event, "--now", "2026-11-21T10:00:00Z"});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  const json result = json::parse(r.out);
  const json* faces = FindingOf(result, "image-faces");
  ASSERT_NE(faces, nullptr) << result;
  // 3 faces: 1 adult declared, 1 tagged pupil with consent, 1 unexplained.
  EXPECT_NE(faces->at("message").get<std::string>().find("3 faces"), std::string::npos);
  EXPECT_EQ(faces->at("evidence").size(), 1u) << *faces;
  EXPECT_TRUE(faces->at("evidence")[0].contains("box"));
  const json* where = FindingOf(result, "image-location");
  ASSERT_NE(where, nullptr) << result;
  EXPECT_EQ(where->at("evidence")[0]["field"], "media[1].metadata.gps");
  const json* device = FindingOf(result, "photo-device");
  ASSERT_NE(device, nullptr) << result;
  EXPECT_NE(device->at("message").get<std::string>().find("093021004512"), std::string::npos);
}

TEST(ImageCli, ARegisteredLogoInAPhotoOnAPersonalAccount) {
  auto scene = testimg::SamplePicture("home.jpg");
  if (!scene) GTEST_SKIP() << "opencv-doc's sample pictures are not installed";
  TempDir tmp;
  // A copy of the policies whose llmat crest (organisation.logos) is one
  // drawn here.
  const std::string policies = tmp.CopyPolicies();
  const std::string crest = testimg::RenderLogo("LL", 3);
  tmp.Write("policies/llmat/logos/crest.png", crest);
  tmp.Write("hoodie.png", testimg::PlaceLogo(*scene, crest, 0.4, -15, 300, 250));
  tmp.Write("plain.jpg", *scene);
  const std::string events = tmp.Write(
      "events.jsonl",
      "{\"kind\":\"post\",\"text\":\"New hoodie\",\"media\":[{\"path\":\"hoodie.png\"}]}\n"
      "{\"kind\":\"post\",\"text\":\"New house\",\"media\":[{\"path\":\"plain.jpg\"}]}\n");
  const auto r = RunProcess({kBin, "check", "--trust", "llmat", "--policies", policies, "--jsonl",
                             events, "--now", "2026-11-21T10:00:00Z"});
  const auto results = Lines(r.out);
  ASSERT_EQ(results.size(), 2u) << r.out << r.err;
  const json* logo = FindingOf(results[0], "logo-use");
  ASSERT_NE(logo, nullptr) << results[0];
  EXPECT_EQ(logo->at("evidence")[0]["text"], "logo llmat-crest");
  EXPECT_EQ(FindingOf(results[1], "logo-use"), nullptr) << results[1];
}

TEST(ImageCli, BadImagesAreOneClearLineAndExit2) {
  TempDir tmp;
  const std::string photo = Jpeg("");
  struct Case {
    std::string file, bytes, says;
  };
  const std::vector<Case> cases = {
      {"bomb.png", testimg::PngHeaderBomb(50000, 50000), "50000 x 50000 pixels"},
      {"cut.jpg", testimg::Truncated(photo, 0.5), "is truncated"},
      {"notes.jpg", testimg::NotAnImage(), "is not an image"},
      {"empty.png", "", "is empty"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    tmp.Write(c.file, c.bytes);
    const std::string event =
        tmp.Write("event.json",
                  "{\"kind\":\"post\",\"text\":\"Hi\",\"media\":[{\"path\":\"" + c.file + "\"}]}");
    const auto r = RunProcess({kBin, "check", "--trust", "mercia", event});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("field 'media[0]'"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  // A limit set on the command line.
  tmp.Write("photo.jpg", photo);
  const std::string event =
      tmp.Write("event.json", "{\"kind\":\"post\",\"media\":[{\"path\":\"photo.jpg\"}]}");
  const auto r =
      RunProcess({kBin, "check", "--trust", "mercia", "--image-max-bytes", "2000", event});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--image-max-bytes"), std::string::npos) << r.err;
  // --no-images only checks the file is there.
  const auto off =
      RunProcess({kBin, "check", "--trust", "mercia", "--no-images",
                  tmp.Write("e2.json", "{\"kind\":\"post\",\"media\":[{\"path\":\"cut.jpg\"}]}")});
  EXPECT_EQ(off.exit_code, 0) << off.err;
}

TEST(ImageCli, StripRemovesTheLocation) {
  TempDir tmp;
  testimg::ExifSpec exif;
  exif.gps = {{51.5007, -0.1246}};
  exif.serial = "SN-123";
  const std::string in = tmp.Write("in.jpg", testimg::WithExif(Jpeg(""), exif));
  const std::string out = tmp.path() + "/out.jpg";
  const auto r = RunProcess({kBin, "image", "strip", in, "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto before = RunProcess({kBin, "image", "analyze", in});
  const auto after = RunProcess({kBin, "image", "analyze", out});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_TRUE(json::parse(before.out)["metadata"].contains("gps"));
  const json md = json::parse(after.out)["metadata"];
  EXPECT_FALSE(md.contains("gps")) << md;
  EXPECT_FALSE(md.contains("serial")) << md;
  EXPECT_TRUE(md["keys"].empty()) << md;
  EXPECT_EQ(RunProcess({kBin, "image", "strip", in, "--out", in}).exit_code, 2);
}

}  // namespace
