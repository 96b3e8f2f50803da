// Sixteen bytes at a time, with GCC vector extensions (SSE2 on x86-64, NEON
// on arm64; docs/decisions/0015): the few steps the byte-class scanners in
// match/ascii_blocks.h and base/word_runs.h share.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace gh::bytes16 {

// Sixteen bytes. Signed, so that a byte >= 0x80 has its sign bit set and
// every ASCII byte compares as itself. Comparisons give 0 or -1 per byte.
using Bytes16 = signed char __attribute__((vector_size(16)));

// The two steps that have a machine instruction on x86-64 and none in GCC's
// vector extensions: both ways are built everywhere, so that the tests
// compare them (tests/unit/match/ascii_blocks_test.cc).
//
// TopBits: one bit per byte, its top bit (bit j is byte j).
inline uint32_t TopBitsPortable(Bytes16 m) {
  // Gathers the top bit of each of eight bytes into the top byte: bit 8k+7
  // times 2^(7(7-k)) lands on bit 56+k, and no two products share a bit.
  uint64_t half[2];
  std::memcpy(half, &m, sizeof half);
  constexpr uint64_t kTop = 0x8080808080808080ull;
  constexpr uint64_t kGather = 0x0002040810204081ull;
  return static_cast<uint32_t>(((half[0] & kTop) * kGather) >> 56) |
         static_cast<uint32_t>(((half[1] & kTop) * kGather) >> 56) << 8;
}
inline uint32_t TopBits(Bytes16 m) {
#if defined(__SSE2__)
  return static_cast<uint32_t>(_mm_movemask_epi8(std::bit_cast<__m128i>(m)));
#else
  return TopBitsPortable(m);
#endif
}

// ShiftIn: byte j is byte j - 1 of `cur`, byte 0 is byte 15 of `prev`.
inline Bytes16 ShiftInPortable(Bytes16 prev, Bytes16 cur) {
#if defined(__clang__)  // the fuzz preset's compiler spells it differently
  return __builtin_shufflevector(prev, cur, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
                                 29, 30);
#else
  return __builtin_shuffle(prev, cur,
                           Bytes16{15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30});
#endif
}
inline Bytes16 ShiftIn(Bytes16 prev, Bytes16 cur) {
#if defined(__SSE2__)
  // GCC lowers the shuffle to one instruction only with SSSE3 (palignr).
  return std::bit_cast<Bytes16>(_mm_or_si128(_mm_slli_si128(std::bit_cast<__m128i>(cur), 1),
                                             _mm_srli_si128(std::bit_cast<__m128i>(prev), 15)));
#else
  return ShiftInPortable(prev, cur);
#endif
}

// Writes first, first + 1, ... to out[0, len): the origins of bytes copied
// in one piece (the normaliser's output, the squeezed view), four at a time.
inline void FillCounting(uint32_t* out, size_t len, uint32_t first) {
  using U4 = uint32_t __attribute__((vector_size(16)));
  U4 next = U4{0, 1, 2, 3} + first;
  size_t k = 0;
  for (; k + 4 <= len; k += 4, next += 4) std::memcpy(out + k, &next, sizeof next);
  for (; k < len; ++k) out[k] = first + static_cast<uint32_t>(k);
}

}  // namespace gh::bytes16
