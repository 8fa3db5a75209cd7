;; Reads a whole `{"records":[...]}` batch body in one call (or, readTable, a
;; `{"columns":[...],"data":[[...],...]}` one) for the score route: per record
;; either its values (a plain record) or the span of its bytes (any other, for
;; JSON.parse and the checked reading in JavaScript). Hot paths test digits and
;; whitespace in line, and compare names and levels eight bytes at a time
;; (why WebAssembly: docs/performance.md).
;;
;; Grammar read (JSON, RFC 8259; whitespace as JSON allows it between tokens):
;;   batch   = "{" "\"records\"" ":" "[" record ("," record)* "]" "}"
;;   table   = "{" "\"columns\"" ":" "[" name ("," name)* "]" ","
;;                 "\"data\"" ":" "[" row ("," row)* "]" "}"
;;   record  = an object; row = an array. A plain record names each of the
;;   model's inputs once (as JSON.stringify spells the name) and nothing else;
;;   a plain row holds one value per column. A value is a number for a number
;;   input (an integer mantissa below 2^53 times 10^-22..10^22, within the
;;   input's range) or a level spelled exactly as JSON.stringify writes it for
;;   a category input. A record or row that is not plain becomes a span (its
;;   end found by brackets outside strings) for JavaScript to read.
;;   Anything else — another member or order, a table whose columns do not
;;   name every input once, an element that is not an object (an array for a
;;   table), more than $max elements, bytes after the closing `}` — answers -1:
;;   the body is not a batch this reads, and takes the ordinary reading.
;; Invariants: the body is followed by 8 zero bytes (the sentinel); the
;; layout below is written by reader.ts (setLayout) before the first read.
;;
;; Layout of memory (offsets in bytes, all written by reader.ts; the per-input
;; entry's fields and the member names are layout.json's `reader`, written
;; here by build.mjs where the text names them in double braces):
;;   inputs  at $T: per input `input.bytes` — i32 fields kind (0 number, 1 category),
;;           key token at/len (`"name":`), key text at/len (between the quotes),
;;           number of levels, levels at (pairs of i32 at/len of `"level"`)
;;   ranges  at $R: per input 2 f64 — min, max
;;   pow10   at $P: 23 f64, 10^0..10^22 (every power of ten a double holds exactly)
;;   seen    at $S: per input 1 i32 — stamp of the record that set it
;;   members at $K: `"records"`, `"columns"`, `"data"`, one after another
;;   body, then 8 zero bytes (a sentinel no token or digit matches)
;;   values: per record n f64; spans: per record 2 i32 (start, end; -1 when plain)
(module
  (memory (export "memory") 1)
  (global $T (mut i32) (i32.const 0)) (global $R (mut i32) (i32.const 0)) (global $P (mut i32) (i32.const 0))
  (global $S (mut i32) (i32.const 0)) (global $K (mut i32) (i32.const 0)) (global $N (mut i32) (i32.const 0))

  (func (export "setLayout") (param $t i32) (param $r i32) (param $p i32) (param $s i32) (param $k i32) (param $n i32)
    (global.set $T (local.get $t)) (global.set $R (local.get $r)) (global.set $P (local.get $p))
    (global.set $S (local.get $s)) (global.set $K (local.get $k))
    (global.set $N (local.get $n)))

  ;; Past JSON whitespace.
  (func $ws (param $p i32) (result i32) (local $c i32)
    (block $out (loop $l
      (local.set $c (i32.load8_u (local.get $p)))
      (br_if $out (i32.eqz (i32.or (i32.or (i32.eq (local.get $c) (i32.const 32)) (i32.eq (local.get $c) (i32.const 10)))
                                   (i32.or (i32.eq (local.get $c) (i32.const 13)) (i32.eq (local.get $c) (i32.const 9))))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $l)))
    (local.get $p))

;; Do the `len` bytes at $a equal those at $b? Eight at a time, the last 0..7 under a mask (the
  ;; caller keeps $a + len within the body, and the sentinel or more memory follows either).
  (func $same (param $a i32) (param $b i32) (param $len i32) (result i32)
    (loop $words
      (if (i32.lt_u (local.get $len) (i32.const 8)) (then
        (return (i64.eqz (i64.and (i64.xor (i64.load (local.get $a)) (i64.load (local.get $b)))
                                  (i64.sub (i64.shl (i64.const 1) (i64.extend_i32_u (i32.shl (local.get $len) (i32.const 3)))) (i64.const 1)))))))
      (if (i64.ne (i64.load (local.get $a)) (i64.load (local.get $b))) (then (return (i32.const 0))))
      (local.set $a (i32.add (local.get $a) (i32.const 8)))
      (local.set $b (i32.add (local.get $b) (i32.const 8)))
      (local.set $len (i32.sub (local.get $len) (i32.const 8)))
      (br $words))
    (unreachable))

  ;; A JSON number into $at for input $i, converted exactly (an integer
  ;; mantissa below 2^53, one multiply or divide by an exact power of ten) and
  ;; in range; the position after it, or -1 (not plain: the record is odd).
  (func $number (param $p i32) (param $i i32) (param $at i32) (result i32)
    (local $neg i32) (local $m i64) (local $exp i32) (local $exact i32) (local $c i32) (local $e i32) (local $eneg i32) (local $v f64)
    (local.set $exact (i32.const 1))
    (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 45))
      (then (local.set $neg (i32.const 1)) (local.set $p (i32.add (local.get $p) (i32.const 1)))))
    (local.set $c (i32.load8_u (local.get $p)))
    (if (i32.eq (local.get $c) (i32.const 48))
      (then (local.set $p (i32.add (local.get $p) (i32.const 1))))
      (else
        (if (i32.eqz (i32.lt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 10))) (then (return (i32.const -1))))
        (block $d (loop $l
          (local.set $c (i32.load8_u (local.get $p)))
          (br_if $d (i32.eqz (i32.lt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 10))))
          (if (i64.le_u (local.get $m) (i64.const 900719925474098))
            (then (local.set $m (i64.add (i64.mul (local.get $m) (i64.const 10)) (i64.extend_i32_u (i32.sub (local.get $c) (i32.const 48))))))
            (else (local.set $exact (i32.const 0))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $l)))))
    (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 46))
      (then
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (if (i32.eqz (i32.lt_u (i32.sub (i32.load8_u (local.get $p)) (i32.const 48)) (i32.const 10))) (then (return (i32.const -1))))
        (block $d (loop $l
          (local.set $c (i32.load8_u (local.get $p)))
          (br_if $d (i32.eqz (i32.lt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 10))))
          (if (i64.le_u (local.get $m) (i64.const 900719925474098))
            (then
              (local.set $m (i64.add (i64.mul (local.get $m) (i64.const 10)) (i64.extend_i32_u (i32.sub (local.get $c) (i32.const 48)))))
              (local.set $exp (i32.sub (local.get $exp) (i32.const 1))))
            (else (local.set $exact (i32.const 0))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $l)))))
    (local.set $c (i32.load8_u (local.get $p)))
    (if (i32.or (i32.eq (local.get $c) (i32.const 101)) (i32.eq (local.get $c) (i32.const 69)))
      (then
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $c (i32.load8_u (local.get $p)))
        (if (i32.eq (local.get $c) (i32.const 45))
          (then (local.set $eneg (i32.const 1)) (local.set $p (i32.add (local.get $p) (i32.const 1))))
          (else (if (i32.eq (local.get $c) (i32.const 43)) (then (local.set $p (i32.add (local.get $p) (i32.const 1)))))))
        (if (i32.eqz (i32.lt_u (i32.sub (i32.load8_u (local.get $p)) (i32.const 48)) (i32.const 10))) (then (return (i32.const -1))))
        (block $d (loop $l
          (local.set $c (i32.load8_u (local.get $p)))
          (br_if $d (i32.eqz (i32.lt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 10))))
          (if (i32.lt_u (local.get $e) (i32.const 10000))
            (then (local.set $e (i32.add (i32.mul (local.get $e) (i32.const 10)) (i32.sub (local.get $c) (i32.const 48))))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $l)))
        (local.set $exp (select (i32.sub (local.get $exp) (local.get $e)) (i32.add (local.get $exp) (local.get $e)) (local.get $eneg)))))
    (if (i32.eqz (local.get $exact)) (then (return (i32.const -1))))
    (local.set $v (f64.convert_i64_u (local.get $m)))
    (if (i32.lt_s (local.get $exp) (i32.const 0))
      (then
        (if (i32.lt_s (local.get $exp) (i32.const -22)) (then (return (i32.const -1))))
        (local.set $v (f64.div (local.get $v) (f64.load (i32.add (global.get $P) (i32.shl (i32.sub (i32.const 0) (local.get $exp)) (i32.const 3))))))))
    (if (i32.gt_s (local.get $exp) (i32.const 0))
      (then
        (if (i32.gt_s (local.get $exp) (i32.const 22)) (then (return (i32.const -1))))
        (local.set $v (f64.mul (local.get $v) (f64.load (i32.add (global.get $P) (i32.shl (local.get $exp) (i32.const 3))))))))
    (if (local.get $neg) (then (local.set $v (f64.neg (local.get $v)))))
    ;; Out of range (a warning) is for the ordinary reading.
    (if (i32.eqz (i32.and
          (f64.ge (local.get $v) (f64.load (i32.add (global.get $R) (i32.shl (local.get $i) (i32.const 4)))))
          (f64.le (local.get $v) (f64.load (i32.add (global.get $R) (i32.add (i32.shl (local.get $i) (i32.const 4)) (i32.const 8)))))))
      (then (return (i32.const -1))))
    (f64.store (local.get $at) (local.get $v))
    (local.get $p))

  ;; A category spelled exactly as one of input $i's levels into $at (its index); the position after it, or -1.
  (func $level (param $p i32) (param $end i32) (param $i i32) (param $at i32) (result i32)
    (local $rec i32) (local $count i32) (local $list i32) (local $j i32) (local $tok i32) (local $len i32)
    (local.set $rec (i32.add (global.get $T) (i32.shl (local.get $i) (i32.const {{input.shift}}))))
    (local.set $count (i32.load offset={{input.levels}} (local.get $rec)))
    (local.set $list (i32.load offset={{input.levelsAt}} (local.get $rec)))
    (block $none (loop $l
      (br_if $none (i32.ge_u (local.get $j) (local.get $count)))
      (local.set $tok (i32.load (i32.add (local.get $list) (i32.shl (local.get $j) (i32.const 3)))))
      (local.set $len (i32.load offset=4 (i32.add (local.get $list) (i32.shl (local.get $j) (i32.const 3)))))
      (if (i32.le_u (i32.add (local.get $p) (local.get $len)) (local.get $end))
        (then (if (call $same (local.get $p) (local.get $tok) (local.get $len))
          (then
            (f64.store (local.get $at) (f64.convert_i32_u (local.get $j)))
            (return (i32.add (local.get $p) (local.get $len)))))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $l)))
    (i32.const -1))

;; The closing quote of the string opening at $p, when it has no escape; -1 otherwise.
  (func $quoteEnd (param $p i32) (param $end i32) (result i32) (local $c i32)
    (if (i32.ne (i32.load8_u (local.get $p)) (i32.const 34)) (then (return (i32.const -1))))
    (loop $scan
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (if (i32.ge_u (local.get $p) (local.get $end)) (then (return (i32.const -1))))
      (local.set $c (i32.load8_u (local.get $p)))
      (if (i32.eq (local.get $c) (i32.const 34)) (then (return (local.get $p))))
      (br_if $scan (i32.ne (local.get $c) (i32.const 92))))
    (i32.const -1))

  ;; The input named by the $len bytes at $start (a name between its quotes); -1 if none.
  (func $field (param $start i32) (param $len i32) (result i32) (local $j i32) (local $rec i32)
    (block $none (loop $each
      (br_if $none (i32.ge_u (local.get $j) (global.get $N)))
      (local.set $rec (i32.add (global.get $T) (i32.shl (local.get $j) (i32.const {{input.shift}}))))
      (if (i32.eq (i32.load offset={{input.textLength}} (local.get $rec)) (local.get $len))
        (then (if (call $same (local.get $start) (i32.load offset={{input.textAt}} (local.get $rec)) (local.get $len))
          (then (return (local.get $j))))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $each)))
    (i32.const -1))

  ;; Input $i's value at $p into $vals (by the input's place), plain or not at all: the position
  ;; after it, or -1. (A number stops at the sentinel; a level is matched within the body.)
  (func $value (param $p i32) (param $end i32) (param $i i32) (param $vals i32) (result i32)
    (local.set $vals (i32.add (local.get $vals) (i32.shl (local.get $i) (i32.const 3))))
    (if (result i32) (i32.load offset={{input.kind}} (i32.add (global.get $T) (i32.shl (local.get $i) (i32.const {{input.shift}}))))
      (then (call $level (local.get $p) (local.get $end) (local.get $i) (local.get $vals)))
      (else (call $number (local.get $p) (local.get $i) (local.get $vals)))))

  ;; A plain record's fields (after its `{`) into $vals: each of the model's
  ;; fields once, every value plain; the position after its `}`, or -1.
  (func $record (param $p i32) (param $end i32) (param $vals i32) (param $stamp i32) (result i32)
    (local $n i32) (local $fields i32) (local $expect i32) (local $i i32) (local $rec i32) (local $len i32)
    (local $q i32) (local $c i32) (local $seen i32)
    (local.set $n (global.get $N))
    ;; (whitespace is rare between a record's tokens: $ws is called only on a byte that may be some)
    (if (i32.le_u (i32.load8_u (local.get $p)) (i32.const 32)) (then (local.set $p (call $ws (local.get $p)))))
    (loop $field
      (local.set $i (i32.const -1))
      ;; the field expected next, its `"name":` whole
      (if (i32.lt_u (local.get $expect) (local.get $n))
        (then
          (local.set $rec (i32.add (global.get $T) (i32.shl (local.get $expect) (i32.const {{input.shift}}))))
          (local.set $len (i32.load offset={{input.tokenLength}} (local.get $rec)))
          (if (i32.le_u (i32.add (local.get $p) (local.get $len)) (local.get $end))
            (then (if (call $same (local.get $p) (i32.load offset={{input.tokenAt}} (local.get $rec)) (local.get $len))
              (then
                (local.set $i (local.get $expect))
                (local.set $p (i32.add (local.get $p) (local.get $len)))))))))
      ;; otherwise the key read to its closing quote and compared with every field
      (if (i32.lt_s (local.get $i) (i32.const 0))
        (then
          (local.set $q (call $quoteEnd (local.get $p) (local.get $end)))
          (if (i32.lt_s (local.get $q) (i32.const 0)) (then (return (i32.const -1))))
          (local.set $i (call $field (i32.add (local.get $p) (i32.const 1)) (i32.sub (local.get $q) (i32.add (local.get $p) (i32.const 1)))))
          (if (i32.lt_s (local.get $i) (i32.const 0)) (then (return (i32.const -1))))
          (local.set $p (call $ws (i32.add (local.get $q) (i32.const 1))))
          (if (i32.ne (i32.load8_u (local.get $p)) (i32.const 58)) (then (return (i32.const -1))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))))
      ;; a repeated field is for the ordinary reading
      (local.set $seen (i32.add (global.get $S) (i32.shl (local.get $i) (i32.const 2))))
      (if (i32.eq (i32.load (local.get $seen)) (local.get $stamp)) (then (return (i32.const -1))))
      (i32.store (local.get $seen) (local.get $stamp))
      (local.set $fields (i32.add (local.get $fields) (i32.const 1)))
      (local.set $expect (i32.add (local.get $i) (i32.const 1)))
      (if (i32.le_u (i32.load8_u (local.get $p)) (i32.const 32)) (then (local.set $p (call $ws (local.get $p)))))
      (local.set $p (call $value (local.get $p) (local.get $end) (local.get $i) (local.get $vals)))
      (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (i32.const -1))))
      (if (i32.le_u (i32.load8_u (local.get $p)) (i32.const 32)) (then (local.set $p (call $ws (local.get $p)))))
      (local.set $c (i32.load8_u (local.get $p)))
      (if (i32.eq (local.get $c) (i32.const 44))
        (then
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (if (i32.le_u (i32.load8_u (local.get $p)) (i32.const 32)) (then (local.set $p (call $ws (local.get $p)))))
          (br $field)))
      (if (i32.ne (local.get $c) (i32.const 125)) (then (return (i32.const -1)))))
    ;; a missing field is imputed, with a warning, by the ordinary reading
    (if (result i32) (i32.eq (local.get $fields) (local.get $n))
      (then (i32.add (local.get $p) (i32.const 1)))
      (else (i32.const -1))))

  ;; A table's row (after its `[`): a value per column, in the columns' order,
  ;; each plain, into $vals by the column's input ($slots: one i32 per column);
  ;; the position after its `]`, or -1.
  (func $row (param $p i32) (param $end i32) (param $vals i32) (param $slots i32) (result i32) (local $k i32)
    (if (i32.le_u (i32.load8_u (local.get $p)) (i32.const 32)) (then (local.set $p (call $ws (local.get $p)))))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $k) (global.get $N)))
      (if (local.get $k)
        (then
          (if (i32.ne (i32.load8_u (local.get $p)) (i32.const 44)) (then (return (i32.const -1))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (if (i32.le_u (i32.load8_u (local.get $p)) (i32.const 32)) (then (local.set $p (call $ws (local.get $p)))))))
      (local.set $p (call $value (local.get $p) (local.get $end)
        (i32.load (i32.add (local.get $slots) (i32.shl (local.get $k) (i32.const 2)))) (local.get $vals)))
      (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (i32.const -1))))
      (if (i32.le_u (i32.load8_u (local.get $p)) (i32.const 32)) (then (local.set $p (call $ws (local.get $p)))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $l)))
    (if (i32.ne (i32.load8_u (local.get $p)) (i32.const 93)) (then (return (i32.const -1))))
    (i32.add (local.get $p) (i32.const 1)))

  ;; The position after the object starting at $p, by its brackets outside strings; -1 if unclosed.
  (func $skipObject (param $p i32) (param $end i32) (result i32) (local $depth i32) (local $c i32)
    (loop $l
      (if (i32.ge_u (local.get $p) (local.get $end)) (then (return (i32.const -1))))
      (local.set $c (i32.load8_u (local.get $p)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (if (i32.eq (local.get $c) (i32.const 34))
        (then
          (block $closed (loop $s
            (br_if $closed (i32.ge_u (local.get $p) (local.get $end)))
            (br_if $closed (i32.eq (i32.load8_u (local.get $p)) (i32.const 34)))
            (local.set $p (i32.add (local.get $p) (select (i32.const 2) (i32.const 1) (i32.eq (i32.load8_u (local.get $p)) (i32.const 92)))))
            (br $s)))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $l)))
      (if (i32.or (i32.eq (local.get $c) (i32.const 123)) (i32.eq (local.get $c) (i32.const 91)))
        (then (local.set $depth (i32.add (local.get $depth) (i32.const 1))) (br $l)))
      (if (i32.or (i32.eq (local.get $c) (i32.const 125)) (i32.eq (local.get $c) (i32.const 93)))
        (then
          (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
          (if (i32.eqz (local.get $depth)) (then (return (local.get $p))))))
      (br $l))
    (i32.const -1))

  ;; `"name"` then `:` at $p (after whitespace), the name's `len` bytes at $at; the position after the colon and whitespace, or -1.
  (func $member (param $p i32) (param $end i32) (param $at i32) (param $len i32) (result i32)
    (if (i32.gt_u (i32.add (local.get $p) (local.get $len)) (local.get $end)) (then (return (i32.const -1))))
    (if (i32.eqz (call $same (local.get $p) (local.get $at) (local.get $len))) (then (return (i32.const -1))))
    (local.set $p (call $ws (i32.add (local.get $p) (local.get $len))))
    (if (i32.ne (i32.load8_u (local.get $p)) (i32.const 58)) (then (return (i32.const -1))))
    (call $ws (i32.add (local.get $p) (i32.const 1))))

  ;; `{` and the member $at ($len bytes) opening a body, then its array's `[`: the position after them, or -1.
  (func $open (param $p i32) (param $end i32) (param $at i32) (param $len i32) (result i32)
    (local.set $p (call $ws (local.get $p)))
    (if (i32.ne (i32.load8_u (local.get $p)) (i32.const 123)) (then (return (i32.const -1))))
    (call $array (call $member (call $ws (i32.add (local.get $p) (i32.const 1))) (local.get $end) (local.get $at) (local.get $len))))

  ;; `[` at $p (or -1 passed on): the position after it and whitespace, or -1.
  (func $array (param $p i32) (result i32)
    (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (i32.const -1))))
    (if (i32.ne (i32.load8_u (local.get $p)) (i32.const 91)) (then (return (i32.const -1))))
    (call $ws (i32.add (local.get $p) (i32.const 1))))

  ;; Clears every input's stamp, left by an earlier call.
  (func $clearSeen (local $i i32)
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (global.get $N)))
      (i32.store (i32.add (global.get $S) (i32.shl (local.get $i) (i32.const 2))) (i32.const 0))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l))))

  ;; The elements of a batch's array from $p — records (`{`, read by $record)
  ;; or, with $slots, table rows (`[`, read by $row) — up to its `]` and the
  ;; body's closing `}`, with nothing but whitespace after: the number of
  ;; elements, their values at $vals and spans at $spans (start and end from
  ;; $body, or -1 for one read plain); -1 for anything else or more than $max.
  (func $elements (param $p i32) (param $body i32) (param $end i32) (param $vals i32) (param $spans i32) (param $max i32) (param $slots i32) (result i32)
    (local $q i32) (local $count i32) (local $at i32) (local $span i32)
    (loop $each
      (if (i32.ne (i32.load8_u (local.get $p)) (select (i32.const 91) (i32.const 123) (local.get $slots))) (then (return (i32.const -1))))
      (if (i32.ge_u (local.get $count) (local.get $max)) (then (return (i32.const -1))))
      (local.set $at (i32.add (local.get $vals) (i32.mul (local.get $count) (i32.shl (global.get $N) (i32.const 3)))))
      (local.set $q
        (if (result i32) (local.get $slots)
          (then (call $row (i32.add (local.get $p) (i32.const 1)) (local.get $end) (local.get $at) (local.get $slots)))
          ;; every record gets its own stamp, from 1 on
          (else (call $record (i32.add (local.get $p) (i32.const 1)) (local.get $end) (local.get $at) (i32.add (local.get $count) (i32.const 1))))))
      (local.set $span (i32.add (local.get $spans) (i32.shl (local.get $count) (i32.const 3))))
      (if (i32.lt_s (local.get $q) (i32.const 0))
        (then
          (local.set $q (call $skipObject (local.get $p) (local.get $end)))
          (if (i32.lt_s (local.get $q) (i32.const 0)) (then (return (i32.const -1))))
          (i32.store (local.get $span) (i32.sub (local.get $p) (local.get $body)))
          (i32.store offset=4 (local.get $span) (i32.sub (local.get $q) (local.get $body))))
        (else (i32.store (local.get $span) (i32.const -1))))
      (local.set $count (i32.add (local.get $count) (i32.const 1)))
      (local.set $p (local.get $q))
      (if (i32.le_u (i32.load8_u (local.get $p)) (i32.const 32)) (then (local.set $p (call $ws (local.get $p)))))
      (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 44))
        (then
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (if (i32.le_u (i32.load8_u (local.get $p)) (i32.const 32)) (then (local.set $p (call $ws (local.get $p)))))
          (br $each))))
    (if (i32.ne (i32.load8_u (local.get $p)) (i32.const 93)) (then (return (i32.const -1))))
    (local.set $p (call $ws (i32.add (local.get $p) (i32.const 1))))
    (if (i32.ne (i32.load8_u (local.get $p)) (i32.const 125)) (then (return (i32.const -1))))
    (select (local.get $count) (i32.const -1) (i32.eq (call $ws (i32.add (local.get $p) (i32.const 1))) (local.get $end))))

  ;; Reads the body at $body ($len bytes, then the sentinel): the number of
  ;; records, with their values at $vals and spans at $spans; -1 when it is
  ;; not a batch of 1..$max objects followed by nothing but whitespace.
  (func (export "read") (param $body i32) (param $len i32) (param $vals i32) (param $spans i32) (param $max i32) (result i32)
    (local $end i32) (local $p i32)
    (local.set $end (i32.add (local.get $body) (local.get $len)))
    (call $clearSeen)
    (local.set $p (call $open (local.get $body) (local.get $end) (global.get $K) (i32.const {{recordsLength}})))
    (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (i32.const -1))))
    (call $elements (local.get $p) (local.get $body) (local.get $end) (local.get $vals) (local.get $spans) (local.get $max) (i32.const 0)))

  ;; Reads a table body — `{"columns":[...],"data":[[...],...]}` in that order,
  ;; pandas' `orient="split", index=False`, naming every field once — writing
  ;; each column's input at $slots; then as read: the number of rows, their
  ;; values at $vals and spans at $spans; -1 for any other body.
  (func (export "readTable") (param $body i32) (param $len i32) (param $vals i32) (param $spans i32) (param $max i32) (param $slots i32) (result i32)
    (local $end i32) (local $p i32) (local $q i32) (local $j i32) (local $k i32) (local $seen i32)
    (local.set $end (i32.add (local.get $body) (local.get $len)))
    (call $clearSeen)
    (local.set $p (call $open (local.get $body) (local.get $end) (i32.add (global.get $K) (i32.const {{columnsAt}})) (i32.const {{columnsLength}})))
    (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (i32.const -1))))
    ;; the columns: each a field's name, once
    (loop $column
      (if (i32.ge_u (local.get $k) (global.get $N)) (then (return (i32.const -1))))
      (local.set $q (call $quoteEnd (local.get $p) (local.get $end)))
      (if (i32.lt_s (local.get $q) (i32.const 0)) (then (return (i32.const -1))))
      (local.set $j (call $field (i32.add (local.get $p) (i32.const 1)) (i32.sub (local.get $q) (i32.add (local.get $p) (i32.const 1)))))
      (if (i32.lt_s (local.get $j) (i32.const 0)) (then (return (i32.const -1))))
      (local.set $seen (i32.add (global.get $S) (i32.shl (local.get $j) (i32.const 2))))
      (if (i32.load (local.get $seen)) (then (return (i32.const -1))))
      (i32.store (local.get $seen) (i32.const 1))
      (i32.store (i32.add (local.get $slots) (i32.shl (local.get $k) (i32.const 2))) (local.get $j))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (local.set $p (call $ws (i32.add (local.get $q) (i32.const 1))))
      (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 44))
        (then (local.set $p (call $ws (i32.add (local.get $p) (i32.const 1)))) (br $column))))
    (if (i32.ne (i32.load8_u (local.get $p)) (i32.const 93)) (then (return (i32.const -1))))
    ;; a table without every field has rows to impute: the ordinary reading
    (if (i32.ne (local.get $k) (global.get $N)) (then (return (i32.const -1))))
    (local.set $p (call $ws (i32.add (local.get $p) (i32.const 1))))
    (if (i32.ne (i32.load8_u (local.get $p)) (i32.const 44)) (then (return (i32.const -1))))
    (local.set $p (call $array (call $member (call $ws (i32.add (local.get $p) (i32.const 1))) (local.get $end) (i32.add (global.get $K) (i32.const {{dataAt}})) (i32.const {{dataLength}}))))
    (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (i32.const -1))))
    (call $elements (local.get $p) (local.get $body) (local.get $end) (local.get $vals) (local.get $spans) (local.get $max) (local.get $slots)))
)
