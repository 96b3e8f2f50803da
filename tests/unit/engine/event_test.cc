#include "engine/event.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gh::engine {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(EventTest, ParsesEveryFieldOfTheCheckMdExample) {
  const std::string json = R"({
    "kind": "post",
    "channel": "personal",
    "platform": "Facebook",
    "author": "S014",
    "at": "2026-03-04T10:15:00+00:00",
    "text": "What a day at Riverside!",
    "links": ["https://example.org/x", "https://example.org/y"],
    "media": [{"path": "photos/sports-day.jpg", "alt": "pupils on the track"}, {"path": "b.png"}],
    "tags": ["P0042", "S001"],
    "counterpart": {"name": "Jo Bloggs", "date_of_birth": "2008-05-01", "pupil_id": "P0042",
                    "role": "former_pupil"},
    "profile": {"email": "jo@example.com", "approve_followers": true, "visibility": "public"},
    "via": "scheduled",
    "direction": "sent"
  })";
  Result<Event> r = ParseEventJson(json, "event.json");
  ASSERT_TRUE(r.ok()) << r.status().message();
  const Event& e = *r;
  EXPECT_EQ(e.kind, Kind::kPost);
  EXPECT_EQ(e.channel, Channel::kPersonal);
  EXPECT_TRUE(e.channel_given);
  EXPECT_EQ(e.platform, "facebook");
  EXPECT_EQ(e.author, "S014");
  ASSERT_TRUE(e.at.has_value());
  EXPECT_EQ(e.at->epoch_seconds, 1772619300);
  EXPECT_EQ(e.at->offset_minutes, 0);
  EXPECT_EQ(e.at_text, "2026-03-04T10:15:00+00:00");
  EXPECT_EQ(e.text, "What a day at Riverside!");
  EXPECT_EQ(e.links, (std::vector<std::string>{"https://example.org/x", "https://example.org/y"}));
  ASSERT_EQ(e.media.size(), 2u);
  EXPECT_EQ(e.media[0].path, "photos/sports-day.jpg");
  EXPECT_EQ(e.media[0].alt, "pupils on the track");
  EXPECT_EQ(e.media[1].path, "b.png");
  EXPECT_EQ(e.media[1].alt, "");
  EXPECT_EQ(e.tags, (std::vector<std::string>{"P0042", "S001"}));
  ASSERT_TRUE(e.counterpart.has_value());
  EXPECT_EQ(e.counterpart->name, "Jo Bloggs");
  ASSERT_TRUE(e.counterpart->date_of_birth.has_value());
  EXPECT_EQ(*e.counterpart->date_of_birth, (CivilDate{2008, 5, 1}));
  EXPECT_EQ(e.counterpart->pupil_id, "P0042");
  EXPECT_EQ(e.counterpart->role, "former_pupil");
  ASSERT_TRUE(e.profile.has_value());
  EXPECT_EQ(e.profile->email, "jo@example.com");
  ASSERT_TRUE(e.profile->approve_followers.has_value());
  EXPECT_TRUE(*e.profile->approve_followers);
  EXPECT_EQ(e.profile->visibility, "public");
  EXPECT_EQ(e.via, "scheduled");
  EXPECT_EQ(e.direction, "sent");
}

TEST(EventTest, OnlyKindIsRequiredAndDefaultsApply) {
  Result<Event> r = ParseEventJson(R"({"kind":"comment"})", "line 1");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->kind, Kind::kComment);
  EXPECT_EQ(r->channel, Channel::kPersonal);
  EXPECT_FALSE(r->channel_given);
  EXPECT_FALSE(r->at.has_value());
  EXPECT_EQ(r->at_text, "");
  EXPECT_TRUE(r->platform.empty());
  EXPECT_TRUE(r->author.empty());
  EXPECT_TRUE(r->text.empty());
  EXPECT_TRUE(r->links.empty());
  EXPECT_TRUE(r->media.empty());
  EXPECT_TRUE(r->tags.empty());
  EXPECT_FALSE(r->counterpart.has_value());
  EXPECT_FALSE(r->profile.has_value());
  EXPECT_TRUE(r->via.empty());
  EXPECT_TRUE(r->direction.empty());
}

TEST(EventTest, MediaMayCarryItsHashInsteadOfAFile) {
  const std::string hash(64, 'A');
  Result<Event> r = ParseEventJson(
      R"({"kind":"post","media":[{"alt":"crest","sha256":")" + hash + R"("}]})", "body");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->media.size(), 1u);
  EXPECT_EQ(r->media[0].sha256, std::string(64, 'a'));
  EXPECT_TRUE(r->media[0].path.empty());

  Result<Event> bad = ParseEventJson(R"({"kind":"post","media":[{"sha256":"abc"}]})", "body");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("media[0].sha256"), std::string::npos)
      << bad.status().message();
}

TEST(EventTest, KindsAndChannels) {
  struct Case {
    const char* json;
    Kind kind;
    Channel channel;
  };
  const Case cases[] = {
      {R"({"kind":"post"})", Kind::kPost, Channel::kPersonal},
      {R"({"kind":"comment","channel":"official"})", Kind::kComment, Channel::kOfficial},
      {R"({"kind":"message","channel":"personal"})", Kind::kMessage, Channel::kPersonal},
      {R"({"kind":"connection"})", Kind::kConnection, Channel::kPersonal},
      {R"({"kind":"profile","channel":"Official"})", Kind::kProfile, Channel::kOfficial},
      {R"({"kind":"POST"})", Kind::kPost, Channel::kPersonal},
      {R"({"kind":" message "})", Kind::kMessage, Channel::kPersonal},
  };
  for (const Case& c : cases) {
    Result<Event> r = ParseEventJson(c.json, "x");
    ASSERT_TRUE(r.ok()) << c.json << ": " << r.status().message();
    EXPECT_EQ(r->kind, c.kind) << c.json;
    EXPECT_EQ(r->channel, c.channel) << c.json;
  }
}

TEST(EventTest, NamesRoundTrip) {
  for (Kind k : {Kind::kPost, Kind::kComment, Kind::kMessage, Kind::kConnection, Kind::kProfile}) {
    ASSERT_TRUE(ParseKind(KindName(k)).has_value());
    EXPECT_EQ(*ParseKind(KindName(k)), k);
  }
  for (Channel c : {Channel::kPersonal, Channel::kOfficial}) {
    ASSERT_TRUE(ParseChannel(ChannelName(c)).has_value());
    EXPECT_EQ(*ParseChannel(ChannelName(c)), c);
  }
  EXPECT_EQ(KindName(Kind::kConnection), "connection");
  EXPECT_EQ(ChannelName(Channel::kOfficial), "official");
  EXPECT_FALSE(ParseKind("tweet").has_value());
  EXPECT_FALSE(ParseKind("").has_value());
  EXPECT_FALSE(ParseChannel("public").has_value());
}

TEST(EventTest, InstantKeepsOffsetAndText) {
  Result<Event> r = ParseEventJson(R"({"kind":"post","at":"2026-03-04T10:15:00+01:00"})", "x");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_TRUE(r->at.has_value());
  EXPECT_EQ(r->at->epoch_seconds, 1772615700);
  EXPECT_EQ(r->at->offset_minutes, 60);
  EXPECT_EQ(r->at_text, "2026-03-04T10:15:00+01:00");
}

TEST(EventTest, UnknownFieldsAreIgnored) {
  Result<Event> r = ParseEventJson(
      R"({"id": 17, "kind": "post", "extra": {"deep": [1, 2, {"x": null}]}, "score": 1.5e300,
          "text": "hi", "flag": false, "media": [{"path": "a.jpg", "width": 640}],
          "counterpart": {"name": "A", "nickname": "B"}, "profile": {"followers": 12}})",
      "x");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->text, "hi");
  ASSERT_EQ(r->media.size(), 1u);
  EXPECT_EQ(r->media[0].path, "a.jpg");
  EXPECT_EQ(r->counterpart->name, "A");
  EXPECT_TRUE(r->profile.has_value());
}

TEST(EventTest, NullIsTakenAsAbsent) {
  Result<Event> r = ParseEventJson(
      R"({"kind":"post","channel":null,"at":null,"text":null,"links":null,"media":[{"path":null}],
          "counterpart":{"date_of_birth":null},"profile":{"approve_followers":null}})",
      "x");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->channel_given);
  EXPECT_FALSE(r->at.has_value());
  EXPECT_EQ(r->media.size(), 1u);
  EXPECT_FALSE(r->counterpart->date_of_birth.has_value());
  EXPECT_FALSE(r->profile->approve_followers.has_value());
}

TEST(EventTest, StringsAreUnescapedAndKeptExactly) {
  Result<Event> r = ParseEventJson(
      R"({"kind":"post","text":"caf\u00e9 \ud83d\ude00 \"quoted\"\n\ttab","author":"  S1  "})",
      "x");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->text, "caf\xC3\xA9 \xF0\x9F\x98\x80 \"quoted\"\n\ttab");
  EXPECT_EQ(r->author, "S1");
}

TEST(EventTest, RawUtf8TextIsKept) {
  Result<Event> r =
      ParseEventJson("{\"kind\":\"post\",\"text\":\"Zo\xC3\xAB \xE2\x80\x94 ok\"}", "x");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->text, "Zo\xC3\xAB \xE2\x80\x94 ok");
}

TEST(EventTest, ViaAndDirection) {
  struct Case {
    const char* json;
    const char* via;
    const char* direction;
  };
  const Case cases[] = {
      {R"({"kind":"post","via":"proxy"})", "proxy", ""},
      {R"({"kind":"post","via":"Scheduled"})", "scheduled", ""},
      {R"({"kind":"post","via":""})", "", ""},
      {R"({"kind":"message","direction":"received"})", "", "received"},
      {R"({"kind":"connection","direction":"SENT"})", "", "sent"},
  };
  for (const Case& c : cases) {
    Result<Event> r = ParseEventJson(c.json, "x");
    ASSERT_TRUE(r.ok()) << c.json << ": " << r.status().message();
    EXPECT_EQ(r->via, c.via) << c.json;
    EXPECT_EQ(r->direction, c.direction) << c.json;
  }
}

// Every error names the field (or the document) with a fixed shape.
TEST(EventTest, ErrorMessages) {
  struct Case {
    std::string json;
    std::string message;
  };
  const std::string kinds = "post, comment, message, connection, profile";
  const std::vector<Case> cases = {
      {R"({"kind":"tweet"})", "line 7: field 'kind': 'tweet' is not one of " + kinds},
      {R"({})", "line 7: field 'kind': missing (one of " + kinds + ")"},
      {R"({"kind":null})", "line 7: field 'kind': missing (one of " + kinds + ")"},
      {R"({"text":"no kind"})", "line 7: field 'kind': missing (one of " + kinds + ")"},
      {R"({"kind":3})", "line 7: field 'kind': expected a string, got a number"},
      {R"({"kind":["post"]})", "line 7: field 'kind': expected a string, got an array"},
      {R"({"kind":"post","channel":"public"})",
       "line 7: field 'channel': 'public' is not one of personal, official"},
      {R"({"kind":"post","channel":true})",
       "line 7: field 'channel': expected a string, got a boolean"},
      {R"({"kind":"post","platform":{}})",
       "line 7: field 'platform': expected a string, got an object"},
      {R"({"kind":"post","author":14})", "line 7: field 'author': expected a string, got a number"},
      {R"({"kind":"post","at":"2026-13-01T10:00:00Z"})",
       "line 7: field 'at': '2026-13-01T10:00:00Z' is not an ISO 8601 time with offset (bad "
       "date; e.g. 2026-03-04T10:15:00+00:00)"},
      {R"({"kind":"post","at":"2026-03-04T10:15:00"})",
       "line 7: field 'at': '2026-03-04T10:15:00' is not an ISO 8601 time with offset (no UTC "
       "offset; e.g. 2026-03-04T10:15:00+00:00)"},
      {R"({"kind":"post","at":1772619300})", "line 7: field 'at': expected a string, got a number"},
      {R"({"kind":"post","text":["a"]})", "line 7: field 'text': expected a string, got an array"},
      {R"({"kind":"post","links":"https://x.org"})",
       "line 7: field 'links': expected an array of strings, got a string"},
      {R"({"kind":"post","links":["https://x.org", 5]})",
       "line 7: field 'links[1]': expected a string, got a number"},
      {R"({"kind":"post","tags":{"P1":true}})",
       "line 7: field 'tags': expected an array of strings, got an object"},
      {R"({"kind":"post","tags":["P1", null]})",
       "line 7: field 'tags[1]': expected a string, got null"},
      {R"({"kind":"post","media":{"path":"a.jpg"}})",
       "line 7: field 'media': expected an array of objects, got an object"},
      {R"({"kind":"post","media":["a.jpg"]})",
       "line 7: field 'media[0]': expected an object, got a string"},
      {R"({"kind":"post","media":[{"path":"a.jpg"},{"path":7}]})",
       "line 7: field 'media[1].path': expected a string, got a number"},
      {R"({"kind":"post","media":[{"path":"a.jpg","alt":false}]})",
       "line 7: field 'media[0].alt': expected a string, got a boolean"},
      {R"({"kind":"connection","counterpart":"Jo Bloggs"})",
       "line 7: field 'counterpart': expected an object, got a string"},
      {R"({"kind":"connection","counterpart":{"name":1}})",
       "line 7: field 'counterpart.name': expected a string, got a number"},
      {R"({"kind":"connection","counterpart":{"date_of_birth":"2008-02-30"}})",
       "line 7: field 'counterpart.date_of_birth': '2008-02-30' is not a date (YYYY-MM-DD)"},
      {R"({"kind":"connection","counterpart":{"date_of_birth":"01/05/2008"}})",
       "line 7: field 'counterpart.date_of_birth': '01/05/2008' is not a date (YYYY-MM-DD)"},
      {R"({"kind":"connection","counterpart":{"pupil_id":42}})",
       "line 7: field 'counterpart.pupil_id': expected a string, got a number"},
      {R"({"kind":"connection","counterpart":{"role":[]}})",
       "line 7: field 'counterpart.role': expected a string, got an array"},
      {R"({"kind":"profile","profile":[]})",
       "line 7: field 'profile': expected an object, got an array"},
      {R"({"kind":"profile","profile":{"email":false}})",
       "line 7: field 'profile.email': expected a string, got a boolean"},
      {R"({"kind":"profile","profile":{"approve_followers":"yes"}})",
       "line 7: field 'profile.approve_followers': expected true or false, got a string"},
      {R"({"kind":"profile","profile":{"visibility":1}})",
       "line 7: field 'profile.visibility': expected a string, got a number"},
      {R"({"kind":"post","via":"robot"})",
       "line 7: field 'via': 'robot' is not one of scheduled, proxy"},
      {R"({"kind":"message","direction":"both"})",
       "line 7: field 'direction': 'both' is not one of sent, received"},
      {R"({"kind":"message","direction":0})",
       "line 7: field 'direction': expected a string, got a number"},
      {R"([{"kind":"post"}])", "line 7: expected a JSON object (an event), got an array"},
      {R"("post")", "line 7: expected a JSON object (an event), got a string"},
      {R"(42)", "line 7: expected a JSON object (an event), got a number"},
      {R"(null)", "line 7: expected a JSON object (an event), got null"},
      {"", "line 7: empty input (expected a JSON object)"},
      {"   \n ", "line 7: empty input (expected a JSON object)"},
  };
  for (const Case& c : cases) {
    Result<Event> r = ParseEventJson(c.json, "line 7");
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(r.status().message(), c.message) << c.json;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument) << c.json;
  }
}

TEST(EventTest, MalformedJsonReportsLineAndColumn) {
  struct Case {
    std::string json;
    std::string prefix;  // up to and including the position
  };
  const std::vector<Case> cases = {
      {R"({"kind": "post",})", "event.json: malformed JSON at line 1, column 17: "},
      {"{\n  \"kind\": \"post\",\n  \"text\": tru\n}",
       "event.json: malformed JSON at line 3, column "},
      {R"({"kind": "post"} trailing)", "event.json: malformed JSON at line 1, column "},
      {R"({"kind": "post")", "event.json: malformed JSON at line 1, column "},
      {R"({"kind": 'post'})", "event.json: malformed JSON at line 1, column 10: "},
      {R"({"text": "\ud800", "kind": "post"})", "event.json: malformed JSON at line 1, column "},
      {"{\"text\": \"a\nb\", \"kind\": \"post\"}", "event.json: malformed JSON at line "},
  };
  for (const Case& c : cases) {
    Result<Event> r = ParseEventJson(c.json, "event.json");
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_THAT(r.status().message(), StartsWith(c.prefix)) << c.json;
    EXPECT_THAT(r.status().message(), HasSubstr("error")) << c.json;
  }
}

TEST(EventTest, TooDeepForSimdjsonIsStillAnError) {
  std::string json = R"({"kind":"post","x":)";
  json += std::string(2000, '[');
  json += std::string(2000, ']');
  json += "}";
  Result<Event> r = ParseEventJson(json, "x");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), StartsWith("x: malformed JSON"));
}

TEST(EventTest, InvalidUtf8IsReportedWithItsByteOffset) {
  struct Case {
    std::string json;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"{\"kind\":\"post\",\"text\":\"caf\xC3\"}", "line 2: invalid UTF-8 at byte 26"},
      {"{\"kind\":\"post\",\"text\":\"\xFF\"}", "line 2: invalid UTF-8 at byte 23"},
      {"{\"kind\":\"post\",\"text\":\"\xED\xA0\x80\"}", "line 2: invalid UTF-8 at byte 23"},
      {"\xC0\xAF{}", "line 2: invalid UTF-8 at byte 0"},
      {"{\"kind\":\"post\",\"a\xE2\x82\":1}", "line 2: invalid UTF-8 at byte 17"},
  };
  for (const Case& c : cases) {
    Result<Event> r = ParseEventJson(c.json, "line 2");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().message(), c.message);
  }
}

TEST(EventTest, EmptyWhereLeavesNoPrefix) {
  Result<Event> r = ParseEventJson(R"({"kind":"tweet"})", "");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), StartsWith("field 'kind': 'tweet'"));
}

TEST(EventTest, ReusedParserKeepsEventsIndependent) {
  EventParser parser;
  std::string big = R"({"kind":"post","text":")" + std::string(100000, 'x') + R"(","tags":["A"]})";
  Result<Event> a = parser.Parse(big, "line 1");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->text.size(), 100000u);
  Result<Event> b = parser.Parse(R"({"kind":"comment"})", "line 2");
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b->kind, Kind::kComment);
  EXPECT_TRUE(b->text.empty());
  EXPECT_TRUE(b->tags.empty());
  Result<Event> c = parser.Parse(R"({"kind":"post",)", "line 3");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), StartsWith("line 3: malformed JSON"));
  // A failure leaves the parser usable.
  Result<Event> d = parser.Parse(R"({"kind":"message","text":"hi"})", "line 4");
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->text, "hi");
  EXPECT_EQ(a->text, std::string(100000, 'x'));  // earlier results own their strings
}

TEST(EventTest, ParsesALineThatIsNotNulTerminated) {
  // A view into a bigger buffer, as a JSONL reader hands lines over.
  const std::string buffer = R"({"kind":"post","text":"one"}{"kind":"comment"})";
  const std::string_view first(buffer.data(), 28);
  Result<Event> r = ParseEventJson(first, "line 1");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->text, "one");
}

TEST(EventTest, EventFromTextIsAPersonalPost) {
  const Event e = EventFromText("just some words, not JSON");
  EXPECT_EQ(e.kind, Kind::kPost);
  EXPECT_EQ(e.channel, Channel::kPersonal);
  EXPECT_FALSE(e.channel_given);
  EXPECT_EQ(e.text, "just some words, not JSON");
  EXPECT_FALSE(e.at.has_value());
}

}  // namespace
}  // namespace gh::engine
