;; Writes a scored batch's answer as JSON bytes in one call, for the score
;; route: per result, text laid out once per model (the segment's opening,
;; the other scores' keys, the way to the projection, the close) between its
;; numbers, each written exactly as JavaScript's Number.prototype.toString
;; writes it (the shortest digits that read back as the same double, the
;; nearest of those; NaN and +-Infinity as null, -0 as 0), found with Ryu
;; (Ulf Adams, PLDI 2018). In workerd, formatting the ~3,000 numbers of a
;; 1,000-record answer in JavaScript and joining its ~7,000 pieces took over
;; a third of a batch; written here, a batch takes 0.72 of the CPU (README,
;; "Performance"). Ryu's helpers (the wide multiply, the 128-bit shift, the
;; digit count, the digit pairs) must run in line: as calls, a number took
;; ~145 ns in Node 20, no faster than String(x); in line, ~55 ns. They are
;; written once, as build.mjs's writerMacros, and placed in line by the build
;; wherever this text names one after an at sign (`@umulh` and so on).
;;
;; Layout of memory. Offsets and fragment indices are layout.json's `writer`
;; (build.mjs writes them where this text names them in double braces;
;; writer.ts lays its part out from the same file):
;;   multipliersAt  Ryu's multipliers, placed by build.mjs (the `@tables` line):
;;          342 x 128 bits floor(2^(bits(5^q)-1+125) / 5^q)+1, then at powersAt
;;          326 x 128 bits of 5^i's top 125 bits; each as low u64, high u64
;;   pairsAt  "00".."99" (the `@pairs` line): digits are written two at a time
;;   tablesEnd  free: writer.ts lays out from here
;;   frags  at $F (setLayout): per fragment 2 i32, at and length, numbered as
;;          layout.json's `fragments`: `opening` the answer's opening,
;;          `toProjection` the way from the scores to the projection
;;          (`},"projection":[`), `close` a result's close (`],"warnings":[]}`),
;;          `end` the answer's close, from `segments` one opening per segment
;;          (`,{"segment":...,"scores":{"first":`, its comma skipped for the
;;          first result), then `,"name":` for each score after the first; then
;;          any of a batch's own (a result's warnings, or its class scores)
;;   results per result 3 i32: the fragments that open it, lead to its
;;          projection and close it
;;   nums   per result $H + 2 f64: the scores in head order, then the
;;          projection's two coordinates
;;
;; Invariants the caller (writer.ts) keeps: every fragment is ASCII JSON text;
;; `out` has room for the whole answer plus 8 bytes (fragments are copied a
;; word at a time and the last word may run past their end); a result's
;; fragment indices are below the table's length; nums are any doubles (NaN
;; and +-Infinity are written as null).
(module
  (memory (export "memory") 1)
  ;; @tables
  ;; @pairs
  (global $INV i32 (i32.const {{multipliersAt}}))
  (global $POW i32 (i32.const {{powersAt}}))
  (global $F (mut i32) (i32.const 0))
  (global $K (mut i32) (i32.const 0))
  (global $H (mut i32) (i32.const 0))

  (func (export "tablesEnd") (result i32) (i32.const {{tablesEnd}}))

  (func (export "setLayout") (param $frags i32) (param $segments i32) (param $heads i32)
    (global.set $F (local.get $frags)) (global.set $K (local.get $segments)) (global.set $H (local.get $heads)))

  ;; Fragment $f (skipping its first $skip bytes) copied to $p; returns the end. Eight bytes at a
  ;; time (the last word may run past the end, into what is written next): fragments are short, and
  ;; memory.copy is a call out of the module, several times slower for them.
  (func $frag (param $p i32) (param $f i32) (param $skip i32) (result i32) (local $at i32) (local $from i32) (local $len i32) (local $i i32)
    (local.set $at (i32.add (global.get $F) (i32.shl (local.get $f) (i32.const 3))))
    (local.set $from (i32.add (i32.load (local.get $at)) (local.get $skip)))
    (local.set $len (i32.sub (i32.load offset=4 (local.get $at)) (local.get $skip)))
    (loop $words
      (i64.store (i32.add (local.get $p) (local.get $i)) (i64.load (i32.add (local.get $from) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br_if $words (i32.lt_u (local.get $i) (local.get $len))))
    (i32.add (local.get $p) (local.get $len)))

  ;; The answer for $count results into $out; returns its end.
  (func (export "write") (param $count i32) (param $results i32) (param $nums i32) (param $out i32) (result i32)
    (local $i i32) (local $h i32) (local $p i32)
    (local.set $p (call $frag (local.get $out) (i32.const {{fragments.opening}}) (i32.const 0)))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
      (local.set $p (call $frag (local.get $p) (i32.load (local.get $results)) (i32.eqz (local.get $i))))
      (if (global.get $H) (then
        (local.set $p (call $num (local.get $p) (f64.load (local.get $nums))))
        (local.set $nums (i32.add (local.get $nums) (i32.const 8)))
        (local.set $h (i32.const 1))
        (block $scored (loop $score
          (br_if $scored (i32.ge_u (local.get $h) (global.get $H)))
          (local.set $p (call $frag (local.get $p) (i32.add (i32.add (i32.const {{moreKeysBase}}) (global.get $K)) (local.get $h)) (i32.const 0)))
          (local.set $p (call $num (local.get $p) (f64.load (local.get $nums))))
          (local.set $nums (i32.add (local.get $nums) (i32.const 8)))
          (local.set $h (i32.add (local.get $h) (i32.const 1)))
          (br $score)))))
      (local.set $p (call $frag (local.get $p) (i32.load offset=4 (local.get $results)) (i32.const 0)))
      (local.set $p (call $num (local.get $p) (f64.load (local.get $nums))))
      (i32.store8 (local.get $p) (i32.const 44)) ;; ,
      (local.set $p (call $num (i32.add (local.get $p) (i32.const 1)) (f64.load offset=8 (local.get $nums))))
      (local.set $nums (i32.add (local.get $nums) (i32.const 16)))
      (local.set $p (call $frag (local.get $p) (i32.load offset=8 (local.get $results)) (i32.const 0)))
      (local.set $results (i32.add (local.get $results) (i32.const 12)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $each)))
    (call $frag (local.get $p) (i32.const {{fragments.end}}) (i32.const 0)))

  ;; $x as JavaScript writes it, at $p; returns the end. (Also exported for the tests.)
  (func $num (export "formatNumber") (param $p i32) (param $x f64) (result i32)
    (local $bits i64) (local $mant i64) (local $exp i32)
    (local $e2 i32) (local $m2 i64) (local $acceptBounds i32) (local $mv i64) (local $mmShift i32)
    (local $q i32) (local $i i32) (local $at i32) (local $e10 i32)
    (local $vr i64) (local $vp i64) (local $vm i64) (local $vmTrailingZeros i32) (local $vrTrailingZeros i32)
    (local $last i32) (local $roundUp i32) (local $vpDiv i64) (local $vmDiv i64) (local $vrDiv i64)
    (local $output i64) (local $k i32) (local $n i32) (local $j i32)
    (local $m i64) (local $mul0 i64) (local $mul1 i64) (local $aLo i64) (local $aHi i64) (local $bLo i64) (local $bHi i64)
    (local $mid1 i64) (local $mid2 i64) (local $lo i64) (local $mid i64) (local $hi i64) (local $tmp i64)
    (local $lo2 i64) (local $lo3 i64) (local $mid3 i64) (local $hi3 i64) (local $dist i64)
    (local $end i32) (local $v i64) (local $t i64) (local $lo32 i32)
    (local.set $bits (i64.reinterpret_f64 (local.get $x)))
    (local.set $exp (i32.wrap_i64 (i64.and (i64.shr_u (local.get $bits) (i64.const 52)) (i64.const 0x7ff))))
    (local.set $mant (i64.and (local.get $bits) (i64.const 0xfffffffffffff)))
    (if (i32.eq (local.get $exp) (i32.const 0x7ff)) (then
      (i32.store (local.get $p) (i32.const 0x6c6c756e)) ;; null
      (return (i32.add (local.get $p) (i32.const 4)))))
    (if (i64.eqz (i64.and (local.get $bits) (i64.const 0x7fffffffffffffff))) (then
      (i32.store8 (local.get $p) (i32.const 48))
      (return (i32.add (local.get $p) (i32.const 1)))))
    (if (i64.lt_s (local.get $bits) (i64.const 0)) (then
      (i32.store8 (local.get $p) (i32.const 45))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))))

    ;; Ryu, step 1: the value as m2 * 2^e2, with two spare bits for the interval's ends.
    (if (i32.eqz (local.get $exp))
      (then (local.set $e2 (i32.const -1076)) (local.set $m2 (local.get $mant)))
      (else (local.set $e2 (i32.sub (local.get $exp) (i32.const 1077)))
            (local.set $m2 (i64.or (local.get $mant) (i64.const 0x10000000000000)))))
    ;; An even mantissa reads back from its interval's ends too (round half to even).
    (local.set $acceptBounds (i64.eqz (i64.and (local.get $m2) (i64.const 1))))
    (local.set $mv (i64.shl (local.get $m2) (i64.const 2)))
    ;; The lower end is closer at a power of two (the exponent's step).
    (local.set $mmShift (i32.or (i64.ne (local.get $mant) (i64.const 0)) (i32.le_u (local.get $exp) (i32.const 1))))

    ;; Steps 2-3: the interval [vm, vp] and the value vr as decimals * 10^e10: (4m2 + c) * mul / 2^j,
    ;; mul being 5^-q or 5^i (the table entry at $at), for c = 0, 2 and -1 - mmShift.
    (if (i32.ge_s (local.get $e2) (i32.const 0))
      (then
        (local.set $q (i32.sub (i32.shr_u (i32.mul (local.get $e2) (i32.const 78913)) (i32.const 18)) (i32.gt_s (local.get $e2) (i32.const 3))))
        (local.set $e10 (local.get $q))
        (local.set $at (i32.add (global.get $INV) (i32.shl (local.get $q) (i32.const 4))))
        (local.set $j (i32.add (i32.sub (local.get $q) (local.get $e2)) (i32.add (i32.const 124) (i32.add (i32.shr_u (i32.mul (local.get $q) (i32.const 1217359)) (i32.const 19)) (i32.const 1))))))
      (else
        (local.set $q (i32.sub (i32.shr_u (i32.mul (i32.sub (i32.const 0) (local.get $e2)) (i32.const 732923)) (i32.const 20)) (i32.lt_s (local.get $e2) (i32.const -1))))
        (local.set $e10 (i32.add (local.get $q) (local.get $e2)))
        (local.set $i (i32.sub (i32.sub (i32.const 0) (local.get $e2)) (local.get $q)))
        (local.set $at (i32.add (global.get $POW) (i32.shl (local.get $i) (i32.const 4))))
        (local.set $j (i32.sub (local.get $q) (i32.sub (i32.add (i32.shr_u (i32.mul (local.get $i) (i32.const 1217359)) (i32.const 19)) (i32.const 1)) (i32.const 125))))))
    ;; Ryu's mulShiftAll64: one product 2m2 * mul (192 bits: lo mid hi) plus or minus mul gives all
    ;; three (two wide multiplies instead of six), each wide multiply from 32-bit halves since
    ;; WebAssembly multiplies 64 x 64 -> 64 only.
    (local.set $m (i64.shl (local.get $m2) (i64.const 1)))
    (local.set $mul0 (i64.load (local.get $at)))
    (local.set $mul1 (i64.load offset=8 (local.get $at)))
    (local.set $aLo (i64.and (local.get $m) (i64.const 0xffffffff)))
    (local.set $aHi (i64.shr_u (local.get $m) (i64.const 32)))
    (@umulh $tmp (local.get $mul0))
    (@umulh $hi (local.get $mul1))
    (local.set $lo (i64.mul (local.get $m) (local.get $mul0)))
    (local.set $mid (i64.add (local.get $tmp) (i64.mul (local.get $m) (local.get $mul1))))
    (local.set $hi (i64.add (local.get $hi) (i64.extend_i32_u (i64.lt_u (local.get $mid) (local.get $tmp)))))
    (local.set $dist (i64.extend_i32_u (i32.sub (local.get $j) (i32.const 65))))
    (local.set $vr (@shr128 (local.get $hi) (local.get $mid) (local.get $dist)))
    ;; + mul
    (local.set $lo2 (i64.add (local.get $lo) (local.get $mul0)))
    (local.set $mid2 (i64.add (i64.add (local.get $mid) (local.get $mul1)) (i64.extend_i32_u (i64.lt_u (local.get $lo2) (local.get $lo)))))
    (local.set $vp (@shr128 (i64.add (local.get $hi) (i64.extend_i32_u (i64.lt_u (local.get $mid2) (local.get $mid)))) (local.get $mid2) (local.get $dist)))
    (if (local.get $mmShift)
      (then
        ;; - mul
        (local.set $lo2 (i64.sub (local.get $lo) (local.get $mul0)))
        (local.set $mid2 (i64.sub (i64.sub (local.get $mid) (local.get $mul1)) (i64.extend_i32_u (i64.gt_u (local.get $lo2) (local.get $lo)))))
        (local.set $vm (@shr128 (i64.sub (local.get $hi) (i64.extend_i32_u (i64.gt_u (local.get $mid2) (local.get $mid)))) (local.get $mid2) (local.get $dist))))
      (else
        ;; twice the product, - mul, shifted one further
        (local.set $lo3 (i64.add (local.get $lo) (local.get $lo)))
        (local.set $mid3 (i64.add (i64.add (local.get $mid) (local.get $mid)) (i64.extend_i32_u (i64.lt_u (local.get $lo3) (local.get $lo)))))
        (local.set $hi3 (i64.add (i64.add (local.get $hi) (local.get $hi)) (i64.extend_i32_u (i64.lt_u (local.get $mid3) (local.get $mid)))))
        (local.set $lo2 (i64.sub (local.get $lo3) (local.get $mul0)))
        (local.set $mid2 (i64.sub (i64.sub (local.get $mid3) (local.get $mul1)) (i64.extend_i32_u (i64.gt_u (local.get $lo2) (local.get $lo3)))))
        (local.set $dist (i64.add (local.get $dist) (i64.const 1)))
        (local.set $vm (@shr128 (i64.sub (local.get $hi3) (i64.extend_i32_u (i64.gt_u (local.get $mid2) (local.get $mid3)))) (local.get $mid2) (local.get $dist)))))
    ;; Whether vr (or vm) is exact: its dropped digits are all zeros, which matters for ties.
    (if (i32.ge_s (local.get $e2) (i32.const 0))
      (then
        (if (i32.le_u (local.get $q) (i32.const 21)) (then
          (if (i64.eqz (i64.rem_u (local.get $mv) (i64.const 5)))
            (then (local.set $vrTrailingZeros (call $multipleOfPow5 (local.get $mv) (local.get $q))))
            (else (if (local.get $acceptBounds)
              (then (local.set $vmTrailingZeros (call $multipleOfPow5
                (i64.sub (i64.sub (local.get $mv) (i64.const 1)) (i64.extend_i32_u (local.get $mmShift))) (local.get $q))))
              (else (local.set $vp (i64.sub (local.get $vp)
                (i64.extend_i32_u (call $multipleOfPow5 (i64.add (local.get $mv) (i64.const 2)) (local.get $q))))))))))))
      (else
        (if (i32.le_u (local.get $q) (i32.const 1))
          (then
            (local.set $vrTrailingZeros (i32.const 1))
            (if (local.get $acceptBounds)
              (then (local.set $vmTrailingZeros (local.get $mmShift)))
              (else (local.set $vp (i64.sub (local.get $vp) (i64.const 1))))))
          (else (if (i32.lt_u (local.get $q) (i32.const 63)) (then
            (local.set $vrTrailingZeros (i64.eqz (i64.and (local.get $mv)
              (i64.sub (i64.shl (i64.const 1) (i64.extend_i32_u (local.get $q))) (i64.const 1)))))))))))

    ;; Step 4: drop digits while the interval still holds a shorter decimal.
    (if (i32.or (local.get $vmTrailingZeros) (local.get $vrTrailingZeros))
      (then
        ;; The rare exact case: track whether everything dropped was zeros, for ties.
        (block $short (loop $drop
          (local.set $vpDiv (i64.div_u (local.get $vp) (i64.const 10)))
          (local.set $vmDiv (i64.div_u (local.get $vm) (i64.const 10)))
          (br_if $short (i64.le_u (local.get $vpDiv) (local.get $vmDiv)))
          (local.set $vmTrailingZeros (i32.and (local.get $vmTrailingZeros)
            (i64.eq (local.get $vm) (i64.mul (local.get $vmDiv) (i64.const 10)))))
          (local.set $vrTrailingZeros (i32.and (local.get $vrTrailingZeros) (i32.eqz (local.get $last))))
          (local.set $vrDiv (i64.div_u (local.get $vr) (i64.const 10)))
          (local.set $last (i32.wrap_i64 (i64.sub (local.get $vr) (i64.mul (local.get $vrDiv) (i64.const 10)))))
          (local.set $vr (local.get $vrDiv)) (local.set $vp (local.get $vpDiv)) (local.set $vm (local.get $vmDiv))
          (local.set $e10 (i32.add (local.get $e10) (i32.const 1)))
          (br $drop)))
        (if (local.get $vmTrailingZeros) (then
          (block $short (loop $drop
            (local.set $vmDiv (i64.div_u (local.get $vm) (i64.const 10)))
            (br_if $short (i64.ne (local.get $vm) (i64.mul (local.get $vmDiv) (i64.const 10))))
            (local.set $vpDiv (i64.div_u (local.get $vp) (i64.const 10)))
            (local.set $vrTrailingZeros (i32.and (local.get $vrTrailingZeros) (i32.eqz (local.get $last))))
            (local.set $vrDiv (i64.div_u (local.get $vr) (i64.const 10)))
            (local.set $last (i32.wrap_i64 (i64.sub (local.get $vr) (i64.mul (local.get $vrDiv) (i64.const 10)))))
            (local.set $vr (local.get $vrDiv)) (local.set $vp (local.get $vpDiv)) (local.set $vm (local.get $vmDiv))
            (local.set $e10 (i32.add (local.get $e10) (i32.const 1)))
            (br $drop)))))
        ;; Exactly half way (...50...0): round to even.
        (if (i32.and (i32.and (local.get $vrTrailingZeros) (i32.eq (local.get $last) (i32.const 5)))
                     (i64.eqz (i64.and (local.get $vr) (i64.const 1))))
          (then (local.set $last (i32.const 4))))
        ;; vr + 1 when vr is the interval's excluded lower end, or rounds up.
        (local.set $output (i64.add (local.get $vr) (i64.extend_i32_u (i32.or
          (i32.and (i64.eq (local.get $vr) (local.get $vm))
                   (i32.or (i32.eqz (local.get $acceptBounds)) (i32.eqz (local.get $vmTrailingZeros))))
          (i32.ge_u (local.get $last) (i32.const 5)))))))
      (else
        ;; The common case (~99%): only the last dropped digit decides the rounding.
        (block $short (loop $drop
          (local.set $vpDiv (i64.div_u (local.get $vp) (i64.const 10)))
          (local.set $vmDiv (i64.div_u (local.get $vm) (i64.const 10)))
          (br_if $short (i64.le_u (local.get $vpDiv) (local.get $vmDiv)))
          (local.set $vrDiv (i64.div_u (local.get $vr) (i64.const 10)))
          (local.set $roundUp (i64.ge_u (i64.sub (local.get $vr) (i64.mul (local.get $vrDiv) (i64.const 10))) (i64.const 5)))
          (local.set $vr (local.get $vrDiv)) (local.set $vp (local.get $vpDiv)) (local.set $vm (local.get $vmDiv))
          (local.set $e10 (i32.add (local.get $e10) (i32.const 1)))
          (br $drop)))
        (local.set $output (i64.add (local.get $vr) (i64.extend_i32_u
          (i32.or (i64.eq (local.get $vr) (local.get $vm)) (local.get $roundUp)))))))

    ;; The digits as ECMAScript's Number::toString places them, k digits with the point after n: an
    ;; integer (ddd000), the point within (dd.ddd), 0.000ddd, or d.ddde+-x. Most results have 16 or 17.
    (@countDigits $k (local.get $output))
    (local.set $n (i32.add (local.get $e10) (local.get $k)))
    ;; Where the digits go: one place on for the point within (the first n are moved back over it)
    ;; and for d.ddde+-x (the first digit is); after the zeros for 0.000ddd.
    (local.set $at (i32.add (local.get $p) (i32.const 1)))
    (if (i32.and (i32.le_s (local.get $k) (local.get $n)) (i32.le_s (local.get $n) (i32.const 21)))
      (then (local.set $at (local.get $p)))
      (else (if (i32.and (i32.le_s (local.get $n) (i32.const 0)) (i32.gt_s (local.get $n) (i32.const -6))) (then
        (i32.store16 (local.get $p) (i32.const 0x2e30)) ;; 0.
        (call $zeros (i32.add (local.get $p) (i32.const 2)) (i32.sub (i32.const 0) (local.get $n)))
        (local.set $at (i32.sub (i32.add (local.get $p) (i32.const 2)) (local.get $n)))))))
    ;; The k digits at $at, from the right, two at a time from the pairs table (eight at a time
    ;; while what is left needs 64 bits).
    (local.set $end (i32.add (local.get $at) (local.get $k)))
    (local.set $v (local.get $output))
    (block $small (loop $wide
      (br_if $small (i64.le_u (local.get $v) (i64.const 0xffffffff)))
      (local.set $t (i64.div_u (local.get $v) (i64.const 100000000)))
      (local.set $lo32 (i32.wrap_i64 (i64.sub (local.get $v) (i64.mul (local.get $t) (i64.const 100000000)))))
      (local.set $v (local.get $t))
      (local.set $end (i32.sub (local.get $end) (i32.const 8)))
      (@pair (local.get $end) 6 (i32.rem_u (local.get $lo32) (i32.const 100)))
      (local.set $lo32 (i32.div_u (local.get $lo32) (i32.const 100)))
      (@pair (local.get $end) 4 (i32.rem_u (local.get $lo32) (i32.const 100)))
      (local.set $lo32 (i32.div_u (local.get $lo32) (i32.const 100)))
      (@pair (local.get $end) 2 (i32.rem_u (local.get $lo32) (i32.const 100)))
      (@pair (local.get $end) 0 (i32.div_u (local.get $lo32) (i32.const 100)))
      (br $wide)))
    (local.set $lo32 (i32.wrap_i64 (local.get $v)))
    (block $done (loop $pairs
      (br_if $done (i32.lt_s (i32.sub (local.get $end) (local.get $at)) (i32.const 2)))
      (local.set $end (i32.sub (local.get $end) (i32.const 2)))
      (@pair (local.get $end) 0 (i32.rem_u (local.get $lo32) (i32.const 100)))
      (local.set $lo32 (i32.div_u (local.get $lo32) (i32.const 100)))
      (br $pairs)))
    (if (i32.gt_u (local.get $end) (local.get $at)) (then
      (i32.store8 (local.get $at) (i32.add (i32.const 48) (local.get $lo32)))))

    (if (i32.le_s (local.get $n) (i32.const 21)) (then
      (if (i32.le_s (local.get $k) (local.get $n)) (then
        (call $zeros (i32.add (local.get $p) (local.get $k)) (i32.sub (local.get $n) (local.get $k)))
        (return (i32.add (local.get $p) (local.get $n)))))
      (if (i32.gt_s (local.get $n) (i32.const 0)) (then
        (local.set $i (i32.const 0))
        (loop $back
          (i32.store8 (i32.add (local.get $p) (local.get $i)) (i32.load8_u offset=1 (i32.add (local.get $p) (local.get $i))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $back (i32.lt_u (local.get $i) (local.get $n))))
        (i32.store8 (i32.add (local.get $p) (local.get $n)) (i32.const 46))
        (return (i32.add (local.get $p) (i32.add (local.get $k) (i32.const 1))))))
      (if (i32.gt_s (local.get $n) (i32.const -6)) (then
        (return (i32.add (local.get $at) (local.get $k)))))))
    ;; d.ddde+-x
    (i32.store8 (local.get $p) (i32.load8_u offset=1 (local.get $p)))
    (if (i32.gt_u (local.get $k) (i32.const 1))
      (then
        (i32.store8 offset=1 (local.get $p) (i32.const 46))
        (local.set $p (i32.add (local.get $p) (i32.add (local.get $k) (i32.const 1)))))
      (else (local.set $p (i32.add (local.get $p) (i32.const 1)))))
    (local.set $n (i32.sub (local.get $n) (i32.const 1)))
    (i32.store8 (local.get $p) (i32.const 101)) ;; e
    (i32.store8 offset=1 (local.get $p) (select (i32.const 43) (i32.const 45) (i32.ge_s (local.get $n) (i32.const 0))))
    (local.set $n (select (local.get $n) (i32.sub (i32.const 0) (local.get $n)) (i32.ge_s (local.get $n) (i32.const 0))))
    (local.set $p (i32.add (local.get $p) (i32.const 2)))
    (if (i32.ge_u (local.get $n) (i32.const 100)) (then
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.div_u (local.get $n) (i32.const 100))))
      (local.set $n (i32.rem_u (local.get $n) (i32.const 100)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (@pair (local.get $p) 0 (local.get $n))
      (return (i32.add (local.get $p) (i32.const 2)))))
    (if (i32.ge_u (local.get $n) (i32.const 10)) (then
      (@pair (local.get $p) 0 (local.get $n))
      (return (i32.add (local.get $p) (i32.const 2)))))
    (i32.store8 (local.get $p) (i32.add (i32.const 48) (local.get $n)))
    (i32.add (local.get $p) (i32.const 1)))

  ;; $count "0" bytes at $p.
  (func $zeros (param $p i32) (param $count i32)
    (block $done (loop $each
      (br_if $done (i32.le_s (local.get $count) (i32.const 0)))
      (local.set $count (i32.sub (local.get $count) (i32.const 1)))
      (i32.store8 (i32.add (local.get $p) (local.get $count)) (i32.const 48))
      (br $each))))

  ;; Is 5^$p a factor of $v (not 0)?
  (func $multipleOfPow5 (param $v i64) (param $p i32) (result i32) (local $q i64)
    (block $no (loop $l
      (if (i32.eqz (local.get $p)) (then (return (i32.const 1))))
      (local.set $q (i64.div_u (local.get $v) (i64.const 5)))
      (br_if $no (i64.ne (local.get $v) (i64.mul (local.get $q) (i64.const 5))))
      (local.set $v (local.get $q))
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (br $l)))
    (i32.const 0))
)
