;; The boosted fit's row loops (./kernels.ts is the glue, ./histogram.ts,
;; ./partition.ts and ./threads.ts the callers): the same loops, in the same
;; order, as their TypeScript had, so every sum is the same to the bit; in
;; WebAssembly a loop's loads and stores need no bounds checks, and a
;; histogram pass costs about half what it did in V8's JavaScript.
;;
;; Every argument is a byte address in the fit's memory (one per fit, shared
;; with the pool's threads) or a count. A histogram bin is three f64 (sum of
;; gradients, sum of hessians, rows), 24 bytes; gradients and hessians are
;; f32 pairs, 8 bytes a row; row indices are u32; codes and goesLeft are u8.
;; The macros root and node (written out by build.mjs) add the row's gradient
;; pair, held as two f64 lanes in $v, to its bin of the column whose codes
;; start at $c and whose bins start at $o, both sums in one 128-bit add (each
;; lane rounds as a scalar add does; ~1.45× faster than two adds); the macro exp is e^x, described at "gradients".
(module
  (import "fit" "memory" (memory 1 65536 shared))

  ;; Root histograms: row i of the fit, its pair at gh + 8i; counts come from rootCounts.
  (func (export "rootQuad")
    (param $c0 i32) (param $c1 i32) (param $c2 i32) (param $c3 i32)
    (param $o0 i32) (param $o1 i32) (param $o2 i32) (param $o3 i32) (param $n i32) (param $gh i32)
    (local $i i32) (local $v v128) (local $b i32)
    (if (i32.eqz (local.get $n)) (then (return)))
    (loop $row
      (local.set $v (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $gh))))
      (@root $c0 $o0) (@root $c1 $o1) (@root $c2 $o2) (@root $c3 $o3)
      (local.set $gh (i32.add (local.get $gh) (i32.const 8)))
      (br_if $row (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))

  (func (export "rootPair")
    (param $c0 i32) (param $c1 i32) (param $o0 i32) (param $o1 i32) (param $n i32) (param $gh i32)
    (local $i i32) (local $v v128) (local $b i32)
    (if (i32.eqz (local.get $n)) (then (return)))
    (loop $row
      (local.set $v (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $gh))))
      (@root $c0 $o0) (@root $c1 $o1)
      (local.set $gh (i32.add (local.get $gh) (i32.const 8)))
      (br_if $row (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))

  (func (export "rootColumn") (param $c0 i32) (param $o0 i32) (param $n i32) (param $gh i32)
    (local $i i32) (local $v v128) (local $b i32)
    (if (i32.eqz (local.get $n)) (then (return)))
    (loop $row
      (local.set $v (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $gh))))
      (@root $c0 $o0)
      (local.set $gh (i32.add (local.get $gh) (i32.const 8)))
      (br_if $row (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))

  ;; Node histograms: the node's rows at $rows (u32 each), their pairs gathered in that order at $gh.
  (func (export "nodeQuad")
    (param $c0 i32) (param $c1 i32) (param $c2 i32) (param $c3 i32)
    (param $o0 i32) (param $o1 i32) (param $o2 i32) (param $o3 i32)
    (param $rows i32) (param $n i32) (param $gh i32)
    (local $end i32) (local $r i32) (local $v v128) (local $b i32)
    (if (i32.eqz (local.get $n)) (then (return)))
    (local.set $end (i32.add (local.get $rows) (i32.shl (local.get $n) (i32.const 2))))
    (loop $row
      (local.set $r (i32.load (local.get $rows)))
      (local.set $v (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $gh))))
      (@node $c0 $o0) (@node $c1 $o1) (@node $c2 $o2) (@node $c3 $o3)
      (local.set $gh (i32.add (local.get $gh) (i32.const 8)))
      (br_if $row (i32.lt_u (local.tee $rows (i32.add (local.get $rows) (i32.const 4))) (local.get $end)))))

  (func (export "nodePair")
    (param $c0 i32) (param $c1 i32) (param $o0 i32) (param $o1 i32) (param $rows i32) (param $n i32) (param $gh i32)
    (local $end i32) (local $r i32) (local $v v128) (local $b i32)
    (if (i32.eqz (local.get $n)) (then (return)))
    (local.set $end (i32.add (local.get $rows) (i32.shl (local.get $n) (i32.const 2))))
    (loop $row
      (local.set $r (i32.load (local.get $rows)))
      (local.set $v (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $gh))))
      (@node $c0 $o0) (@node $c1 $o1)
      (local.set $gh (i32.add (local.get $gh) (i32.const 8)))
      (br_if $row (i32.lt_u (local.tee $rows (i32.add (local.get $rows) (i32.const 4))) (local.get $end)))))

  (func (export "nodeColumn") (param $c0 i32) (param $o0 i32) (param $rows i32) (param $n i32) (param $gh i32)
    (local $end i32) (local $r i32) (local $v v128) (local $b i32)
    (if (i32.eqz (local.get $n)) (then (return)))
    (local.set $end (i32.add (local.get $rows) (i32.shl (local.get $n) (i32.const 2))))
    (loop $row
      (local.set $r (i32.load (local.get $rows)))
      (local.set $v (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $gh))))
      (@node $c0 $o0)
      (local.set $gh (i32.add (local.get $gh) (i32.const 8)))
      (br_if $row (i32.lt_u (local.tee $rows (i32.add (local.get $rows) (i32.const 4))) (local.get $end)))))

  ;; The pairs of the n rows at $rows (pairs at $gh, by row) into $out, in the rows' order.
  (func (export "gather") (param $rows i32) (param $n i32) (param $gh i32) (param $out i32)
    (local $end i32)
    (if (i32.eqz (local.get $n)) (then (return)))
    (local.set $end (i32.add (local.get $rows) (i32.shl (local.get $n) (i32.const 2))))
    (loop $row
      (i64.store (local.get $out)
        (i64.load (i32.add (local.get $gh) (i32.shl (i32.load (local.get $rows)) (i32.const 3)))))
      (local.set $out (i32.add (local.get $out) (i32.const 8)))
      (br_if $row (i32.lt_u (local.tee $rows (i32.add (local.get $rows) (i32.const 4))) (local.get $end)))))

  ;; The n rows at $rows: those whose code goes left written from $left on,
  ;; the others from $right on (./partition.ts partitionRange); branch-free,
  ;; each row written to both sides and one cursor moving. $step is 4 to
  ;; write the right ones forwards, −4 backwards (partitionChunk). Returns
  ;; how many go left.
  (func (export "split")
    (param $rows i32) (param $n i32) (param $codes i32) (param $goesLeft i32)
    (param $left i32) (param $right i32) (param $step i32) (result i32)
    (local $end i32) (local $row i32) (local $go i32) (local $from i32)
    (local.set $from (local.get $left))
    (if (i32.eqz (local.get $n)) (then (return (i32.const 0))))
    (local.set $end (i32.add (local.get $rows) (i32.shl (local.get $n) (i32.const 2))))
    (loop $next
      (local.set $row (i32.load (local.get $rows)))
      (local.set $go (i32.load8_u (i32.add (local.get $goesLeft) (i32.load8_u (i32.add (local.get $codes) (local.get $row))))))
      (i32.store (local.get $left) (local.get $row))
      (i32.store (local.get $right) (local.get $row))
      (local.set $left (i32.add (local.get $left) (i32.shl (local.get $go) (i32.const 2))))
      (local.set $right (i32.add (local.get $right) (i32.mul (i32.sub (i32.const 1) (local.get $go)) (local.get $step))))
      (br_if $next (i32.lt_u (local.tee $rows (i32.add (local.get $rows) (i32.const 4))) (local.get $end))))
    (i32.shr_u (i32.sub (local.get $left) (local.get $from)) (i32.const 2)))

  ;; The n u32 at $from, last first, to $to on (a chunk's right rows, which partitionChunk wrote backwards).
  (func (export "reverse") (param $from i32) (param $n i32) (param $to i32)
    (local $end i32)
    (if (i32.eqz (local.get $n)) (then (return)))
    (local.set $end (i32.add (local.get $to) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $from (i32.add (local.get $from) (i32.shl (local.get $n) (i32.const 2))))
    (loop $next
      (local.set $from (i32.sub (local.get $from) (i32.const 4)))
      (i32.store (local.get $to) (i32.load (local.get $from)))
      (br_if $next (i32.lt_u (local.tee $to (i32.add (local.get $to) (i32.const 4))) (local.get $end)))))

  ;; $value added to the raw score (f64 at $F + 8 × row) of each of the n rows at $rows.
  (func (export "addLeaf") (param $rows i32) (param $n i32) (param $F i32) (param $value f64)
    (local $end i32) (local $at i32)
    (if (i32.eqz (local.get $n)) (then (return)))
    (local.set $end (i32.add (local.get $rows) (i32.shl (local.get $n) (i32.const 2))))
    (loop $next
      (local.set $at (i32.add (local.get $F) (i32.shl (i32.load (local.get $rows)) (i32.const 3))))
      (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (local.get $value)))
      (br_if $next (i32.lt_u (local.tee $rows (i32.add (local.get $rows) (i32.const 4))) (local.get $end)))))

  ;; Log-loss gradients p − y and hessians p(1 − p), p = sigmoid(F), of n
  ;; rows: raw scores (f64) at $F, labels (u8) at $y, the pairs (f32,
  ;; rounded from f64) to $gh. sigmoid from e^−|F|, which never overflows:
  ;; 1/(1+e) for F ≥ 0, e/(1+e) below. e^x (x ≤ 0) is its own, branch-free:
  ;; x = k·ln2/128 + r, e^x = 2^(k/128) · e^r with 2^((k mod 128)/128) from
  ;; the table at $table (128 f64: 2^(i/128)) and e^r from five Taylor terms
  ;; (|r| ≤ ln2/256: the next term is below 1e-18); to ~1.4 ulp, and 0 below
  ;; −745, where e^x is less than the least double. The sign of F is a
  ;; select: a branch on it mispredicts about every other row.
  (func (export "gradients") (param $F i32) (param $y i32) (param $gh i32) (param $n i32) (param $table i32)
    (local $end i32) (local $pairsEnd i32) (local $f f64) (local $e f64) (local $q f64) (local $p f64)
    (local $x f64) (local $kd f64) (local $k i32) (local $r f64) (local $scale f64)
    (local $vf v128) (local $vx v128) (local $ve v128) (local $vq v128) (local $vp v128)
    (local $vkd v128) (local $vk v128) (local $vr v128) (local $vscale v128)
    (local.set $end (i32.add (local.get $y) (local.get $n)))
    ;; Two rows at a time, as the f64x2 lanes of each step; their pairs interleaved into one store.
    (local.set $pairsEnd (i32.add (local.get $y) (i32.and (local.get $n) (i32.const -2))))
    (if (i32.lt_u (local.get $y) (local.get $pairsEnd)) (then
      (loop $pair
        (local.set $vf (v128.load (local.get $F)))
        (local.set $vx (f64x2.neg (f64x2.abs (local.get $vf))))
        (local.set $ve (@exp2))
        (local.set $vq (f64x2.div (f64x2.splat (f64.const 1)) (f64x2.add (f64x2.splat (f64.const 1)) (local.get $ve))))
        (local.set $vp (v128.bitselect (local.get $vq) (f64x2.mul (local.get $ve) (local.get $vq))
          (f64x2.ge (local.get $vf) (f64x2.splat (f64.const 0)))))
        (v128.store (local.get $gh)
          (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
            (f32x4.demote_f64x2_zero (f64x2.sub (local.get $vp)
              (f64x2.replace_lane 1
                (f64x2.splat (f64.convert_i32_u (i32.load8_u (local.get $y))))
                (f64.convert_i32_u (i32.load8_u offset=1 (local.get $y))))))
            (f32x4.demote_f64x2_zero (f64x2.mul (local.get $vp) (f64x2.sub (f64x2.splat (f64.const 1)) (local.get $vp))))))
        (local.set $F (i32.add (local.get $F) (i32.const 16)))
        (local.set $gh (i32.add (local.get $gh) (i32.const 16)))
        (br_if $pair (i32.lt_u (local.tee $y (i32.add (local.get $y) (i32.const 2))) (local.get $pairsEnd))))))
    ;; The last row, when there is an odd one.
    (if (i32.lt_u (local.get $y) (local.get $end)) (then
      (local.set $f (f64.load (local.get $F)))
      (local.set $x (f64.neg (f64.abs (local.get $f))))
      (local.set $e (@exp))
      (local.set $q (f64.div (f64.const 1) (f64.add (f64.const 1) (local.get $e))))
      (local.set $p (select (local.get $q) (f64.mul (local.get $e) (local.get $q)) (f64.ge (local.get $f) (f64.const 0))))
      (f32.store (local.get $gh)
        (f32.demote_f64 (f64.sub (local.get $p) (f64.convert_i32_u (i32.load8_u (local.get $y))))))
      (f32.store offset=4 (local.get $gh)
        (f32.demote_f64 (f64.mul (local.get $p) (f64.sub (f64.const 1) (local.get $p))))))))

  ;; The exp of "gradients" alone, for its tests.
  (func (export "exp") (param $x f64) (param $table i32) (result f64)
    (local $kd f64) (local $k i32) (local $r f64) (local $scale f64)
    (@exp))

  ;; A tree's start: rows 0..n-1 in order at $rows (the root's partition),
  ;; and the sums of the n gradient pairs at $gh, added in row order, to the
  ;; two doubles at $out.
  (func (export "startTree") (param $rows i32) (param $n i32) (param $gh i32) (param $out i32)
    (local $i i32) (local $g f64) (local $h f64)
    (if (i32.ne (local.get $n) (i32.const 0)) (then
      (loop $row
        (i32.store (local.get $rows) (local.get $i))
        (local.set $g (f64.add (local.get $g) (f64.promote_f32 (f32.load (local.get $gh)))))
        (local.set $h (f64.add (local.get $h) (f64.promote_f32 (f32.load offset=4 (local.get $gh)))))
        (local.set $rows (i32.add (local.get $rows) (i32.const 4)))
        (local.set $gh (i32.add (local.get $gh) (i32.const 8)))
        (br_if $row (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))))
    (f64.store (local.get $out) (local.get $g))
    (f64.store offset=8 (local.get $out) (local.get $h)))

  ;; Binning (./binning.ts): the values at $from that are not NaN, in order,
  ;; to $to (branch-free: each written, the cursor moving by 8 or 0); returns
  ;; how many.
  (func (export "present") (param $from i32) (param $n i32) (param $to i32) (result i32)
    (local $end i32) (local $v f64) (local $start i32)
    (local.set $start (local.get $to))
    (if (i32.eqz (local.get $n)) (then (return (i32.const 0))))
    (local.set $end (i32.add (local.get $from) (i32.shl (local.get $n) (i32.const 3))))
    (loop $next
      (local.set $v (f64.load (local.get $from)))
      (f64.store (local.get $to) (local.get $v))
      (local.set $to (i32.add (local.get $to) (i32.shl (f64.eq (local.get $v) (local.get $v)) (i32.const 3))))
      (br_if $next (i32.lt_u (local.tee $from (i32.add (local.get $from) (i32.const 8))) (local.get $end))))
    (i32.shr_u (i32.sub (local.get $to) (local.get $start)) (i32.const 3)))

  ;; Sorts the n doubles at $at (no NaN) ascending, -0 before +0, the order
  ;; Float64Array.prototype.sort gives: a least-significant-digit radix sort
  ;; on a 64-bit key whose unsigned order is the numbers' (a negative's bits
  ;; all flipped, a positive's sign bit set), eight passes of 8 bits, a pass
  ;; skipped when every key has the same digit (the top bits often agree).
  ;; $tmp holds n more doubles, $counts 8 × 256 u32.
  (func (export "sortValues") (param $at i32) (param $n i32) (param $tmp i32) (param $counts i32)
    (local $p i32) (local $end i32) (local $key i64) (local $d i32) (local $c i32) (local $to i32) (local $count i32)
    (local $src i32) (local $dst i32) (local $swap i32) (local $base i32) (local $shift i64)
    (if (i32.lt_u (local.get $n) (i32.const 2)) (then (return)))
    (memory.fill (local.get $counts) (i32.const 0) (i32.const 8192))
    ;; The keys, in place, and every digit's counts, in one pass.
    (local.set $end (i32.add (local.get $at) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $p (local.get $at))
    (loop $keys
      (local.set $key (i64.load (local.get $p)))
      (local.set $key (i64.xor (local.get $key)
        (i64.or (i64.shr_s (local.get $key) (i64.const 63)) (i64.const 0x8000000000000000))))
      (i64.store (local.get $p) (local.get $key))
      (@digitCounts)
      (br_if $keys (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 8))) (local.get $end))))
    (local.set $src (local.get $at))
    (local.set $dst (local.get $tmp))
    (loop $pass
      (local.set $base (i32.add (local.get $counts) (i32.shl (local.get $d) (i32.const 10))))
      (local.set $shift (i64.extend_i32_u (i32.shl (local.get $d) (i32.const 3))))
      (if (i32.ne (local.get $n)
            (i32.load (i32.add (local.get $base) (i32.shl (i32.wrap_i64 (i64.and
              (i64.shr_u (i64.load (local.get $src)) (local.get $shift)) (i64.const 255))) (i32.const 2)))))
        (then
          ;; Each digit's count into where its keys start in $dst.
          (local.set $to (local.get $dst))
          (local.set $c (i32.const 0))
          (loop $starts
            (local.set $p (i32.add (local.get $base) (i32.shl (local.get $c) (i32.const 2))))
            (local.set $count (i32.load (local.get $p)))
            (i32.store (local.get $p) (local.get $to))
            (local.set $to (i32.add (local.get $to) (i32.shl (local.get $count) (i32.const 3))))
            (br_if $starts (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (i32.const 256))))
          (local.set $p (local.get $src))
          (local.set $end (i32.add (local.get $src) (i32.shl (local.get $n) (i32.const 3))))
          (loop $move
            (local.set $key (i64.load (local.get $p)))
            (local.set $c (i32.add (local.get $base) (i32.shl (i32.wrap_i64 (i64.and
              (i64.shr_u (local.get $key) (local.get $shift)) (i64.const 255))) (i32.const 2))))
            (local.set $to (i32.load (local.get $c)))
            (i64.store (local.get $to) (local.get $key))
            (i32.store (local.get $c) (i32.add (local.get $to) (i32.const 8)))
            (br_if $move (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 8))) (local.get $end))))
          (local.set $swap (local.get $src))
          (local.set $src (local.get $dst))
          (local.set $dst (local.get $swap))))
      (br_if $pass (i32.lt_u (local.tee $d (i32.add (local.get $d) (i32.const 1))) (i32.const 8))))
    (if (i32.ne (local.get $src) (local.get $at))
      (then (memory.copy (local.get $at) (local.get $src) (i32.shl (local.get $n) (i32.const 3)))))
    ;; Keys back to doubles: a key with its top bit set was a positive.
    (local.set $end (i32.add (local.get $at) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $p (local.get $at))
    (loop $back
      (local.set $key (i64.load (local.get $p)))
      (i64.store (local.get $p) (i64.xor (local.get $key)
        (i64.or (i64.shr_s (i64.xor (local.get $key) (i64.const -1)) (i64.const 63)) (i64.const 0x8000000000000000))))
      (br_if $back (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 8))) (local.get $end)))))

  ;; Each of the n doubles at $values to its bin (u8 at $codes): $missing for
  ;; NaN, else how many of the cuts lie below it, searched in the table at
  ;; $table ($size entries, a power of two: the cuts padded with +∞) by steps
  ;; that depend on the value only through arithmetic (a binary search's
  ;; branch mispredicts about every other step). Each bin's least and
  ;; greatest value are kept in the doubles at $lo and $hi.
  (func (export "binValues")
    (param $values i32) (param $n i32) (param $table i32) (param $size i32)
    (param $codes i32) (param $lo i32) (param $hi i32) (param $missing i32)
    (local $end i32) (local $v f64) (local $b i32) (local $step i32) (local $at i32)
    (if (i32.eqz (local.get $n)) (then (return)))
    (local.set $end (i32.add (local.get $values) (i32.shl (local.get $n) (i32.const 3))))
    (loop $next
      (local.set $v (f64.load (local.get $values)))
      (if (f64.ne (local.get $v) (local.get $v))
        (then (i32.store8 (local.get $codes) (local.get $missing)))
        (else
          (local.set $b (i32.const 0))
          (local.set $step (i32.shr_u (local.get $size) (i32.const 1)))
          (block $found (loop $search
            (br_if $found (i32.eqz (local.get $step)))
            (local.set $b (i32.add (local.get $b) (i32.mul (local.get $step)
              (f64.gt (local.get $v) (f64.load (i32.add (local.get $table)
                (i32.shl (i32.sub (i32.add (local.get $b) (local.get $step)) (i32.const 1)) (i32.const 3))))))))
            (local.set $step (i32.shr_u (local.get $step) (i32.const 1)))
            (br $search)))
          (i32.store8 (local.get $codes) (local.get $b))
          (local.set $at (i32.add (local.get $lo) (i32.shl (local.get $b) (i32.const 3))))
          (f64.store (local.get $at) (select (local.get $v) (f64.load (local.get $at)) (f64.lt (local.get $v) (f64.load (local.get $at)))))
          (local.set $at (i32.add (local.get $hi) (i32.shl (local.get $b) (i32.const 3))))
          (f64.store (local.get $at) (select (local.get $v) (f64.load (local.get $at)) (f64.gt (local.get $v) (f64.load (local.get $at)))))))
      (local.set $codes (i32.add (local.get $codes) (i32.const 1)))
      (br_if $next (i32.lt_u (local.tee $values (i32.add (local.get $values) (i32.const 8))) (local.get $end))))))

