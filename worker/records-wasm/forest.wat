;; Walks a boosted head's forest over a block of records in one call, for the
;; score route's batches: per record the head's log-odds, the very sum
;; forestLogit gives (base, then one leaf per tree in tree order, in f64).
;;
;; The nodes are the compiled forest's splits (model/engine/trees.ts), in
;; preorder, in one chain in tree order; leaves are folded into their
;; parents. A step reads the node's slot, goes right when its value is above
;; the threshold, adds what that way adds to the record's sum and moves to
;; where that way leads: a split child adds −0 (which leaves any sum as it
;; is, −0 too) and leads to the child; a leaf child adds its leaf value and
;; leads to the next tree's first node. A tree that is one leaf is a node
;; reading slot 0 (+∞, so it always goes right) whose right way is that
;; leaf; the chain ends on a node leading to itself and adding −0. So a
;; record's sum is the base plus its leaves in tree order, as forestLogit
;; adds them. Both ways are looked up by address (the way times 4 or 8), so
;; a step has no branch and no select: an f64 select is a branch in V8.
;; The lanes are {{lanes}} records: each walks the whole chain, the lanes'
;; steps interleaved so their chains of loads overlap, until all stand still
;; (tested every {{unroll}} steps: a lane standing still stays so). Their
;; slots are interleaved too (slot s of lane k at s · 8 · {{lanes}} + 8k in
;; the group's slots), so one address serves every lane and a node holds its
;; slot as that byte offset. Why WebAssembly: no bounds check on any of a
;; step's loads and i32 arithmetic without JavaScript's conversions
;; (docs/performance.md). The lanes, the node's size and the unrolling are
;; layout.json's `forest`, measured.
;;
;; Slots of a record (laySlots, from its tree values): slot 0 +∞; per input i
;; slots 1 + 2i and 2 + 2i, its value twice, NaN as −∞ in the first and +∞ in
;; the second; per category set j slots 1 + 2·inputs + 2j, twice 0 (the level
;; goes left) or 1 (right, and any value that is no level), NaN as ±∞.
;;
;; Layout of memory (offsets in bytes, all written by forest.ts):
;;   values  per record `inputs` f64: its tree values (at 0)
;;   nodes   per node {{node}} bytes: i32 slot (its byte offset in a group),
;;           i32 where left leads, i32 where right leads (addresses), 4 bytes
;;           unused, f64 threshold, f64 what left adds, f64 what right adds
;;   sets    per category set 3 i32: its input, the input's levels, where its
;;           bytes are (one per level: 1 when the level goes right)
;;   slots   per group of {{lanes}} records `width` · 8 · {{lanes}} bytes
;;   out     per record one f64
(module
  (memory (export "memory") 1)

  ;; Records 0..count-1's tree values at $values laid out as slots from $slots (groups of {{lanes}}, $width slots a record).
  (func (export "laySlots")
    (param $values i32) (param $inputs i32) (param $count i32) (param $sets i32) (param $setCount i32)
    (param $slots i32) (param $width i32)
    (local $j i32) (local $at i32) (local $i i32) (local $x f64) (local $s i32) (local $end i32) (local $level i32) (local $r f64)
    (local.set $j (i32.const 0))
    (block $done (loop $record
      (br_if $done (i32.ge_u (local.get $j) (local.get $count)))
      ;; Slot 0 of this record, then each slot s at $at + s · 8 · {{lanes}}.
      (local.set $at (i32.add (local.get $slots)
        (i32.add (i32.mul (i32.shr_u (local.get $j) (i32.const {{lanes.shift}})) (i32.mul (local.get $width) (i32.const {{lanes.bytes}})))
                 (i32.shl (i32.and (local.get $j) (i32.const {{lanes.mask}})) (i32.const 3)))))
      (f64.store (local.get $at) (f64.const inf))
      (local.set $i (i32.const 0))
      (block $numbers (loop $input
        (br_if $numbers (i32.ge_u (local.get $i) (local.get $inputs)))
        (local.set $x (f64.load (i32.add (local.get $values) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $inputs)) (local.get $i)) (i32.const 3)))))
        (local.set $s (i32.add (local.get $at) (i32.mul (i32.add (i32.shl (local.get $i) (i32.const 1)) (i32.const 1)) (i32.const {{lanes.bytes}}))))
        (f64.store (local.get $s) (select (f64.const -inf) (local.get $x) (f64.ne (local.get $x) (local.get $x))))
        (f64.store offset={{lanes.bytes}} (local.get $s) (select (f64.const inf) (local.get $x) (f64.ne (local.get $x) (local.get $x))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $input)))
      (local.set $s (i32.add (local.get $at) (i32.mul (i32.add (i32.shl (local.get $inputs) (i32.const 1)) (i32.const 1)) (i32.const {{lanes.bytes}}))))
      (local.set $i (local.get $sets))
      (local.set $end (i32.add (local.get $sets) (i32.mul (local.get $setCount) (i32.const 12))))
      (block $categories (loop $set
        (br_if $categories (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $x (f64.load (i32.add (local.get $values)
          (i32.shl (i32.add (i32.mul (local.get $j) (local.get $inputs)) (i32.load (local.get $i))) (i32.const 3)))))
        (if (f64.ne (local.get $x) (local.get $x))
          (then
            (f64.store (local.get $s) (f64.const -inf))
            (f64.store offset={{lanes.bytes}} (local.get $s) (f64.const inf)))
          (else
            ;; A value that is no level of the input is in no left set: right, as the plain walk sends it.
            (local.set $r (f64.const 1))
            (if (i32.and (f64.ge (local.get $x) (f64.const 0))
                         (f64.lt (local.get $x) (f64.convert_i32_u (i32.load offset=4 (local.get $i)))))
              (then
                (local.set $level (i32.trunc_f64_u (local.get $x)))
                (if (f64.eq (f64.convert_i32_u (local.get $level)) (local.get $x))
                  (then (local.set $r (f64.convert_i32_u
                    (i32.load8_u (i32.add (i32.load offset=8 (local.get $i)) (local.get $level)))))))))
            (f64.store (local.get $s) (local.get $r))
            (f64.store offset={{lanes.bytes}} (local.get $s) (local.get $r))))
        (local.set $s (i32.add (local.get $s) (i32.const {{lanes.pair}})))
        (local.set $i (i32.add (local.get $i) (i32.const 12)))
        (br $set)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $record))))

  ;; The log-odds of $groups groups of {{lanes}} records (slots from $slots, $groupBytes apart) into $out, in record order.
  (func (export "walkBlock")
    (param $root i32) (param $base f64) (param $slots i32) (param $groupBytes i32) (param $groups i32) (param $out i32)
    (@lanes (local $a%k i32) (local $d%k i32) (local $g%k i32) (local $sum%k f64))
    (local $end i32)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $groups) (i32.const {{lanes.shift3}}))))
    (block $done
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (loop $group
        (@lanes (local.set $a%k (local.get $root)) (local.set $sum%k (local.get $base)))
        (loop $step
          ;; {{unroll}} steps of each lane, then the test: a lane that stood still stands still.
          ;; Per lane: which way (0 left, 1 right), what that way adds, and the node it leads to.
          (@steps
            (local.set $g%k (f64.gt (f64.load offset=%8k (i32.add (local.get $slots) (i32.load (local.get $a%k))))
                                    (f64.load offset=16 (local.get $a%k))))
            (local.set $sum%k (f64.add (local.get $sum%k)
              (f64.load offset=24 (i32.add (local.get $a%k) (i32.shl (local.get $g%k) (i32.const 3))))))
            (local.set $d%k (i32.xor (local.get $a%k)
              (local.tee $a%k (i32.load offset=4 (i32.add (local.get $a%k) (i32.shl (local.get $g%k) (i32.const 2))))))))
          ;; A lane at the chain's end steps {{node}} − {{node}}: all standing still ends the group.
          (br_if $step (@anyOf (local.get $d%k))))
        (@lanes (f64.store offset=%8k (local.get $out) (local.get $sum%k)))
        (local.set $slots (i32.add (local.get $slots) (local.get $groupBytes)))
        (local.set $out (i32.add (local.get $out) (i32.const {{lanes.bytes}})))
        (br_if $group (i32.lt_u (local.get $out) (local.get $end)))))))
