// Personal-data formats: the check digits and official layouts that turn a
// pattern match (RawPatterns, signals.cc) into personal data. Each function
// looks only at the candidate text it is given, is pure, and does not
// allocate, so validation costs nothing unless a pattern already matched.
//
// Offsets are bytes into the text passed in. Where a candidate may hold the
// identifier with extra text around it (Hyperscan reports the leftmost start
// and the longest run of a pattern), the Find* functions return the longest
// valid sub-span at separator boundaries.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>

namespace gh::engine::pii {

struct Span {
  uint32_t from, to;
};

// E-mail addresses, as RawPatterns matches them (Hyperscan syntax): a local
// part of [A-Za-z0-9._%+-], "@", a domain with a dot and a top-level name.
inline constexpr const char* kEmailRegex =
    "(?i)[a-z0-9._%+\\-]+@[a-z0-9\\-]+(?:\\.[a-z0-9\\-]+)*\\.[a-z]{2,}";

// The leftmost start of a kEmailRegex match that ends at `to`: the domain
// holds no "@", so the match's "@" is the last one before `to`, and its local
// part starts where the run of local-part characters before that "@" begins.
// RawPatterns matches e-mail without start-of-match tracking, which cost more
// than all its other patterns together, and finds the start here.
uint32_t EmailStart(std::string_view text, uint32_t to);

// NHS number: 10 digits (separated 3-3-4 or not), the last a modulus 11 check
// digit (NHS Data Dictionary, "NHS Number"). A leading 0 is allowed.
bool ValidNhs(std::string_view s);

// National Insurance number: prefixes BG, GB, KN, NK, NT, TN and ZZ are never
// issued (HMRC NIM39110); the letter rules are in the pattern.
bool ValidNino(std::string_view s);

// UK numbers: 10 digits after the leading 0 (or +44 / 0044), or 9 for a few
// old area codes. Other international prefixes are not UK numbers.
bool ValidUkPhone(std::string_view s);

// A number in international format, "+<country code> <groups>" (ITU-T
// E.164): an assigned country code and 8 to 15 digits in all, in groups
// separated by one space, hyphen or dot, one group optionally in brackets.
// +44 numbers must also be valid UK numbers. Returns the longest valid span
// starting at `from` and ending at a group boundary within [from, to).
std::optional<Span> FindInternationalPhone(std::string_view text, uint32_t from, uint32_t to);

// A North American (NANP) number in its usual national layouts,
// "(415) 555-0132", "415-555-0132", "415.555.0132": the area code and the
// exchange start with 2-9, and the area code is not an N11 service code.
bool ValidNanpPhone(std::string_view s);

// IBAN (ISO 13616): a country in the SWIFT IBAN registry with that country's
// length, check digits that make the number modulo 97 equal 1, and either no
// separators or the paper format (groups of four, one separator, space or
// hyphen). Returns the longest valid IBAN starting at `from` within [from, to).
std::optional<Span> FindIban(std::string_view text, uint32_t from, uint32_t to);
bool ValidIban(std::string_view s);

// Payment card number (ISO/IEC 7812): 13 to 19 digits, an issuer prefix of a
// card network with a length that network issues, and the Luhn check digit;
// written without separators or in groups (the first of four digits, the rest
// of three to six) split by one kind of separator, space or hyphen. Returns the
// longest valid run of whole groups within [from, to), earliest first.
std::optional<Span> FindCard(std::string_view text, uint32_t from, uint32_t to);
bool Luhn(std::string_view digits);
bool ValidCardDigits(std::string_view digits);  // network prefix and length, Luhn

// DVLA driving licence number, 16 characters: surname (5, padded with 9),
// decade of birth, month of birth (plus 50 for women), day, year digit,
// initials (2, padded with 9), a digit, two check characters. The date must
// exist. Upper or lower case, not mixed.
bool ValidDrivingLicence(std::string_view s);

// UK vehicle registrations (DVLA, INF104).
//  Current (since September 2001), "AB12 CDE": a memory tag (no I, J, Q, T, U
//  or Z first; no I or Q second), an age identifier of March (02 to yy) or
//  September (51 to 50+yy) where yy is `latest_year` % 100, and three random
//  letters without I or Q.
//  Prefix (1983-2001), "A123 BCD": an age letter (not I, O, Q, U, Z), 1-3
//  digits, three letters without I or Q.
//  Suffix (1963-1983), "ABC 123D": three letters without I or Q, 1-3 digits,
//  an age letter (not I, O, Q, U, Z).
// Letters are compared without case; callers decide what case they accept.
bool ValidPlateCurrent(std::string_view s, int latest_year);
bool ValidPlatePrefix(std::string_view s);
bool ValidPlateSuffix(std::string_view s);

// True when one of `cues` occurs as whole words (ASCII case folded) within
// `before` bytes before `from` or `after` bytes after `to`.
bool HasCue(std::string_view text, uint32_t from, uint32_t to,
            std::initializer_list<std::string_view> cues, uint32_t before, uint32_t after);

// True when every ASCII letter in `s` is upper case (or there is none).
bool AllUpper(std::string_view s);

}  // namespace gh::engine::pii
