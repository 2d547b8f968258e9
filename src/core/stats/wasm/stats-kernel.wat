;; Hot loops of the weight statistics engine (float32 blocks). The plain-JS kernel in
;; ../stats-kernel-js.ts performs the same float operations in the same order, so both give
;; bit-identical results; change them together. Compiled to stats-kernel-wasm-bytes.ts by
;; build-wasm.mjs (needs the `wabt` npm package).
;;
;; Memory: bytes 0..63 hold the results of the last call; the caller owns the rest.
;; pass1 results: f32 min @0, f32 max @4, f64 s1 @8, f64 s2 @16, i32 zeros @24, finite @28.
;; pass2 results: i32 below @40, above @44 (added to the caller's histograms in memory).
;; distinct and gather: i32 count @48.
(module
  (memory (export "memory") 2)

  ;; Moments, range and counts of n float32 at $p. Non-finite values are replaced by $k (a finite
  ;; float32 value of the tensor, so min/max stay right for the tensor; the caller recomputes a row's
  ;; min/max when it held non-finite values) and so add nothing to s1 = Σ(x−k), s2 = Σ(x−k)² (f64).
  ;; Element i goes to lane i mod 4; lanes combine as (l0+l2)+(l1+l3), then the n mod 4 tail
  ;; elements are added in order.
  (func $pass1 (export "pass1") (param $p i32) (param $n i32) (param $k f64)
    (local $end i32) (local $v v128) (local $w v128) (local $fin v128) (local $kk v128) (local $k4 v128) (local $d v128)
    (local $vmin v128) (local $vmax v128)
    (local $s1a v128) (local $s1b v128) (local $s2a v128) (local $s2b v128)
    (local $cz v128) (local $cf v128)
    (local $x f32) (local $xd f64) (local $mn f32) (local $mx f32) (local $s1 f64) (local $s2 f64)
    (local $z i32) (local $f i32)
    (local.set $kk (f64x2.splat (local.get $k)))
    (local.set $k4 (f32x4.splat (f32.demote_f64 (local.get $k))))
    (local.set $vmin (f32x4.splat (f32.const inf)))
    (local.set $vmax (f32x4.splat (f32.const -inf)))
    (local.set $end (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done
      (loop $vec
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $v (v128.load (local.get $p)))
        (local.set $fin (f32x4.lt (f32x4.abs (local.get $v)) (f32x4.splat (f32.const inf))))
        (local.set $w (v128.bitselect (local.get $v) (local.get $k4) (local.get $fin)))
        ;; pmin/pmax (w < vmin ? w : vmin): one instruction each, and the JS loop's `if (x < mn)`; no NaN can reach here
        (local.set $vmin (f32x4.pmin (local.get $vmin) (local.get $w)))
        (local.set $vmax (f32x4.pmax (local.get $vmax) (local.get $w)))
        (local.set $cz (i32x4.sub (local.get $cz) (f32x4.eq (local.get $v) (f32x4.splat (f32.const 0)))))
        (local.set $cf (i32x4.sub (local.get $cf) (local.get $fin)))
        (local.set $d (f64x2.sub (f64x2.promote_low_f32x4 (local.get $w)) (local.get $kk)))
        (local.set $s1a (f64x2.add (local.get $s1a) (local.get $d)))
        (local.set $s2a (f64x2.add (local.get $s2a) (f64x2.mul (local.get $d) (local.get $d))))
        (local.set $d (f64x2.sub
          (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $w) (local.get $w)))
          (local.get $kk)))
        (local.set $s1b (f64x2.add (local.get $s1b) (local.get $d)))
        (local.set $s2b (f64x2.add (local.get $s2b) (f64x2.mul (local.get $d) (local.get $d))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $vec)))
    (local.set $mn (f32.min
      (f32.min (f32x4.extract_lane 0 (local.get $vmin)) (f32x4.extract_lane 1 (local.get $vmin)))
      (f32.min (f32x4.extract_lane 2 (local.get $vmin)) (f32x4.extract_lane 3 (local.get $vmin)))))
    (local.set $mx (f32.max
      (f32.max (f32x4.extract_lane 0 (local.get $vmax)) (f32x4.extract_lane 1 (local.get $vmax)))
      (f32.max (f32x4.extract_lane 2 (local.get $vmax)) (f32x4.extract_lane 3 (local.get $vmax)))))
    (local.set $d (f64x2.add (local.get $s1a) (local.get $s1b)))
    (local.set $s1 (f64.add (f64x2.extract_lane 0 (local.get $d)) (f64x2.extract_lane 1 (local.get $d))))
    (local.set $d (f64x2.add (local.get $s2a) (local.get $s2b)))
    (local.set $s2 (f64.add (f64x2.extract_lane 0 (local.get $d)) (f64x2.extract_lane 1 (local.get $d))))
    (local.set $z (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $cz)) (i32x4.extract_lane 1 (local.get $cz)))
      (i32.add (i32x4.extract_lane 2 (local.get $cz)) (i32x4.extract_lane 3 (local.get $cz)))))
    (local.set $f (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $cf)) (i32x4.extract_lane 1 (local.get $cf)))
      (i32.add (i32x4.extract_lane 2 (local.get $cf)) (i32x4.extract_lane 3 (local.get $cf)))))
    ;; scalar tail
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $tdone
      (loop $tail
        (br_if $tdone (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $x (f32.load (local.get $p)))
        (if (f32.eq (local.get $x) (f32.const 0)) (then (local.set $z (i32.add (local.get $z) (i32.const 1)))))
        (if (f32.lt (f32.abs (local.get $x)) (f32.const inf))
          (then (local.set $f (i32.add (local.get $f) (i32.const 1))))
          (else (local.set $x (f32.demote_f64 (local.get $k)))))
        (local.set $mn (f32.min (local.get $mn) (local.get $x)))
        (local.set $mx (f32.max (local.get $mx) (local.get $x)))
        (local.set $xd (f64.sub (f64.promote_f32 (local.get $x)) (local.get $k)))
        (local.set $s1 (f64.add (local.get $s1) (local.get $xd)))
        (local.set $s2 (f64.add (local.get $s2) (f64.mul (local.get $xd) (local.get $xd))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $tail)))
    (f32.store (i32.const 0) (local.get $mn))
    (f32.store (i32.const 4) (local.get $mx))
    (f64.store (i32.const 8) (local.get $s1))
    (f64.store (i32.const 16) (local.get $s2))
    (i32.store (i32.const 24) (local.get $z))
    (i32.store (i32.const 28) (local.get $f)))

  ;; pass1 over consecutive segments of n float32 at $p: the first $first values, then $len at a
  ;; time (per-row figures: one call a block instead of one a row). Segment j's results go to
  ;; $out + 48·(j+1) as six f64: min, max, s1, s2, zeros, finite (each exactly what pass1 stores);
  ;; $out gets the block's: s1 and s2 (the segments' added to $s1 and $s2 one by one, in order, as
  ;; the caller would), min, max, zeros, finite (min and max right only when all are finite).
  (func (export "pass1rows") (param $p i32) (param $n i32) (param $k f64) (param $first i32) (param $len i32) (param $out i32)
        (param $s1 f64) (param $s2 f64)
    (local $m i32) (local $o i32) (local $mn f32) (local $mx f32) (local $z i32) (local $f i32)
    (local.set $m (local.get $first))
    (local.set $o (i32.add (local.get $out) (i32.const 48)))
    (local.set $mn (f32.const inf))
    (local.set $mx (f32.const -inf))
    (block $done
      (loop $next
        (br_if $done (i32.le_s (local.get $n) (i32.const 0)))
        (if (i32.gt_s (local.get $m) (local.get $n)) (then (local.set $m (local.get $n))))
        (call $pass1 (local.get $p) (local.get $m) (local.get $k))
        (f64.store (local.get $o) (f64.promote_f32 (f32.load (i32.const 0))))
        (f64.store offset=8 (local.get $o) (f64.promote_f32 (f32.load (i32.const 4))))
        (f64.store offset=16 (local.get $o) (f64.load (i32.const 8)))
        (f64.store offset=24 (local.get $o) (f64.load (i32.const 16)))
        (f64.store offset=32 (local.get $o) (f64.convert_i32_s (i32.load (i32.const 24))))
        (f64.store offset=40 (local.get $o) (f64.convert_i32_s (i32.load (i32.const 28))))
        (local.set $mn (f32.min (local.get $mn) (f32.load (i32.const 0))))
        (local.set $mx (f32.max (local.get $mx) (f32.load (i32.const 4))))
        (local.set $s1 (f64.add (local.get $s1) (f64.load (i32.const 8))))
        (local.set $s2 (f64.add (local.get $s2) (f64.load (i32.const 16))))
        (local.set $z (i32.add (local.get $z) (i32.load (i32.const 24))))
        (local.set $f (i32.add (local.get $f) (i32.load (i32.const 28))))
        (local.set $o (i32.add (local.get $o) (i32.const 48)))
        (local.set $p (i32.add (local.get $p) (i32.shl (local.get $m) (i32.const 2))))
        (local.set $n (i32.sub (local.get $n) (local.get $m)))
        (local.set $m (local.get $len))
        (br $next)))
    (f64.store (local.get $out) (local.get $s1))
    (f64.store offset=8 (local.get $out) (local.get $s2))
    (f64.store offset=16 (local.get $out) (f64.promote_f32 (local.get $mn)))
    (f64.store offset=24 (local.get $out) (f64.promote_f32 (local.get $mx)))
    (f64.store offset=32 (local.get $out) (f64.convert_i32_s (local.get $z)))
    (f64.store offset=40 (local.get $out) (f64.convert_i32_s (local.get $f))))

  ;; The distinct keys (bits >>> 16) of n float32 at $p, in ascending order, as u32 at $seen with
  ;; their counts from the key buckets at $keys as f64 at $counts, the buckets zeroed as they are
  ;; read (they held these values' counts only): one bit per key in the 8 KiB bitmap at $map (all
  ;; zero before and after), then a scan of its words. Their number goes to @48.
  (func (export "distinct") (param $p i32) (param $n i32) (param $map i32) (param $keys i32) (param $seen i32) (param $counts i32)
    (local $end i32) (local $a i32) (local $k i32) (local $w i32) (local $x i32) (local $d i32)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $k (i32.shr_u (i32.load (local.get $p)) (i32.const 16)))
        (local.set $a (i32.add (local.get $map) (i32.shl (i32.shr_u (local.get $k) (i32.const 5)) (i32.const 2))))
        (i32.store (local.get $a) (i32.or (i32.load (local.get $a)) (i32.shl (i32.const 1) (local.get $k))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $next)))
    (block $sdone
      (loop $word
        (br_if $sdone (i32.ge_u (local.get $w) (i32.const 2048)))
        (local.set $a (i32.add (local.get $map) (i32.shl (local.get $w) (i32.const 2))))
        (local.set $x (i32.load (local.get $a)))
        (if (local.get $x)
          (then
            (i32.store (local.get $a) (i32.const 0))
            (block $bdone
              (loop $bit
                (br_if $bdone (i32.eqz (local.get $x)))
                (local.set $k (i32.or (i32.shl (local.get $w) (i32.const 5)) (i32.ctz (local.get $x))))
                (i32.store (i32.add (local.get $seen) (i32.shl (local.get $d) (i32.const 2))) (local.get $k))
                (local.set $a (i32.add (local.get $keys) (i32.shl (local.get $k) (i32.const 2))))
                (f64.store (i32.add (local.get $counts) (i32.shl (local.get $d) (i32.const 3))) (f64.convert_i32_u (i32.load (local.get $a))))
                (i32.store (local.get $a) (i32.const 0))
                (local.set $d (i32.add (local.get $d) (i32.const 1)))
                (local.set $x (i32.and (local.get $x) (i32.sub (local.get $x) (i32.const 1))))
                (br $bit)))))
        (local.set $w (i32.add (local.get $w) (i32.const 1)))
        (br $word)))
    (i32.store (i32.const 48) (local.get $d)))

  ;; The values among n float32 at $p whose key bucket at $keys is not zero (after distinct, the
  ;; caller marks the keys it wants), in order, to $dst (few are: a branch beats a branch-free
  ;; store). Their number goes to @48.
  (func (export "gather") (param $p i32) (param $n i32) (param $keys i32) (param $dst i32)
    (local $end i32) (local $x i32) (local $g i32)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $x (i32.load (local.get $p)))
        (if (i32.load (i32.add (local.get $keys) (i32.and (i32.shr_u (local.get $x) (i32.const 14)) (i32.const 0x3fffc))))
          (then
            (i32.store (i32.add (local.get $dst) (i32.shl (local.get $g) (i32.const 2))) (local.get $x))
            (local.set $g (i32.add (local.get $g) (i32.const 1)))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $next)))
    (i32.store (i32.const 48) (local.get $g)))

  ;; Histogram pass over n float32 at $p. Linear bin = clamp(trunc_sat(f32((x−lo)·scale)), 0, bins−1),
  ;; so NaN and −Inf land in bin 0 and +Inf in the last bin: the caller takes them back out (it
  ;; knows their counts from pass 1). Lane j counts into copy j of the histogram at
  ;; $hist + j·$stride bytes, so that runs of equal bins do not serialize on one counter.
  ;; Key histogram: count[bits(x) >>> 16] at $keys (65536 u32). Outliers: x < $olo, x > $ohi.
  (func (export "pass2") (param $p i32) (param $n i32) (param $lo f32) (param $scale f32) (param $bins i32)
        (param $hist i32) (param $stride i32) (param $keys i32) (param $olo f32) (param $ohi f32)
    (local $end i32) (local $v v128) (local $idx v128) (local $key v128) (local $lastf v128)
    (local $offs v128) (local $cl v128) (local $ch v128) (local $a i32) (local $x f32) (local $b i32)
    (local $below i32) (local $above i32)
    (local.set $offs (i32x4.add (i32x4.splat (local.get $hist))
      (i32x4.mul (v128.const i32x4 0 1 2 3) (i32x4.splat (local.get $stride)))))
    (local.set $lastf (f32x4.splat (f32.convert_i32_s (i32.sub (local.get $bins) (i32.const 1)))))
    (local.set $end (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done
      (loop $vec
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $v (v128.load (local.get $p)))
        ;; Same bin as clamp(trunc_sat(t), 0, bins−1), in cheaper steps: pmax(0, t) sends NaN and
        ;; negatives to 0, pmin caps at bins−1 (+Inf too), floor, then the integer is read out of the
        ;; mantissa after adding 2^23.
        (local.set $idx (f32x4.mul (f32x4.sub (local.get $v) (f32x4.splat (local.get $lo))) (f32x4.splat (local.get $scale))))
        (local.set $idx (f32x4.pmin (f32x4.pmax (f32x4.splat (f32.const 0)) (local.get $idx)) (local.get $lastf)))
        (local.set $idx (i32x4.sub (f32x4.add (f32x4.floor (local.get $idx)) (f32x4.splat (f32.const 8388608)))
          (i32x4.splat (i32.const 0x4b000000))))
        (local.set $idx (i32x4.add (i32x4.shl (local.get $idx) (i32.const 2)) (local.get $offs)))
        (local.set $key (i32x4.add (v128.and (i32x4.shr_u (local.get $v) (i32.const 14)) (i32x4.splat (i32.const 0x3fffc)))
          (i32x4.splat (local.get $keys))))
        (local.set $cl (i32x4.sub (local.get $cl) (f32x4.lt (local.get $v) (f32x4.splat (local.get $olo)))))
        (local.set $ch (i32x4.sub (local.get $ch) (f32x4.gt (local.get $v) (f32x4.splat (local.get $ohi)))))
        (local.set $a (i32x4.extract_lane 0 (local.get $idx)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 1 (local.get $idx)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 2 (local.get $idx)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 3 (local.get $idx)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 0 (local.get $key)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 1 (local.get $key)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 2 (local.get $key)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32x4.extract_lane 3 (local.get $key)))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $vec)))
    (local.set $below (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $cl)) (i32x4.extract_lane 1 (local.get $cl)))
      (i32.add (i32x4.extract_lane 2 (local.get $cl)) (i32x4.extract_lane 3 (local.get $cl)))))
    (local.set $above (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $ch)) (i32x4.extract_lane 1 (local.get $ch)))
      (i32.add (i32x4.extract_lane 2 (local.get $ch)) (i32x4.extract_lane 3 (local.get $ch)))))
    ;; scalar tail: counted into copy 0
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $tdone
      (loop $tail
        (br_if $tdone (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $x (f32.load (local.get $p)))
        (local.set $b (i32.trunc_sat_f32_s (f32.mul (f32.sub (local.get $x) (local.get $lo)) (local.get $scale))))
        (if (i32.gt_s (local.get $b) (i32.sub (local.get $bins) (i32.const 1)))
          (then (local.set $b (i32.sub (local.get $bins) (i32.const 1)))))
        (if (i32.lt_s (local.get $b) (i32.const 0)) (then (local.set $b (i32.const 0))))
        (if (f32.lt (local.get $x) (local.get $olo)) (then (local.set $below (i32.add (local.get $below) (i32.const 1)))))
        (if (f32.gt (local.get $x) (local.get $ohi)) (then (local.set $above (i32.add (local.get $above) (i32.const 1)))))
        (local.set $a (i32.add (local.get $hist) (i32.shl (local.get $b) (i32.const 2))))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32.add (local.get $keys) (i32.and (i32.shr_u (i32.load (local.get $p)) (i32.const 14)) (i32.const 0x3fffc))))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $tail)))
    (i32.store (i32.const 40) (local.get $below))
    (i32.store (i32.const 44) (local.get $above)))

  ;; float16 (or bfloat16 when $bf16) → float32, n values from $src to $dst, 8 per step (n is
  ;; rounded up to a multiple of 8: the caller leaves room). Safe in place when $src sits at least
  ;; 2n bytes after $dst, as each step loads before it stores. float16 normals get their exponent
  ;; rebiased, subnormals are rebuilt exactly by a float subtraction, Inf/NaN keep all-ones exponents.
  (func (export "half") (param $src i32) (param $dst i32) (param $n i32) (param $bf16 i32)
    (local $end i32) (local $h v128) (local $w v128)
    (local.set $end (i32.add (local.get $src) (i32.shl (i32.and (i32.add (local.get $n) (i32.const 7)) (i32.const -8)) (i32.const 1))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (local.set $h (v128.load (local.get $src)))
        (if (local.get $bf16)
          (then
            (v128.store (local.get $dst) (i32x4.shl (i32x4.extend_low_i16x8_u (local.get $h)) (i32.const 16)))
            (v128.store offset=16 (local.get $dst) (i32x4.shl (i32x4.extend_high_i16x8_u (local.get $h)) (i32.const 16))))
          (else
            (v128.store (local.get $dst) (call $f16x4 (i32x4.extend_low_i16x8_u (local.get $h))))
            (v128.store offset=16 (local.get $dst) (call $f16x4 (i32x4.extend_high_i16x8_u (local.get $h))))))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
        (br $next))))

  (func $f16x4 (param $h v128) (result v128)
    (local $o v128) (local $e v128)
    (local.set $o (i32x4.shl (v128.and (local.get $h) (i32x4.splat (i32.const 0x7fff))) (i32.const 13)))
    (local.set $e (v128.and (local.get $o) (i32x4.splat (i32.const 0x0f800000))))
    (local.set $o (i32x4.add (local.get $o) (i32x4.splat (i32.const 0x38000000))))
    ;; Inf/NaN: exponent 31 → 255
    (local.set $o (i32x4.add (local.get $o)
      (v128.and (i32x4.eq (local.get $e) (i32x4.splat (i32.const 0x0f800000))) (i32x4.splat (i32.const 0x38000000)))))
    ;; zero/subnormal: (2^-14 · (1 + m/1024)) − 2^-14 = m · 2^-24, exact
    (local.set $o (v128.bitselect
      (f32x4.sub (i32x4.add (local.get $o) (i32x4.splat (i32.const 0x00800000))) (i32x4.splat (i32.const 0x38800000)))
      (local.get $o)
      (i32x4.eq (local.get $e) (i32x4.splat (i32.const 0)))))
    (v128.or (local.get $o) (i32x4.shl (v128.and (local.get $h) (i32x4.splat (i32.const 0x8000))) (i32.const 16))))

  ;; ---- Code kernels (stats-codes.ts): tensors whose values are a function of a small code
  ;; (int8/uint8/int4/uint4 bytes, float16/bfloat16 bit patterns) are counted per code, never
  ;; decoded; the figures are then read off the code counts. The JS twins are in stats-codes-kernel.ts.

  ;; Byte histogram of n bytes at $p into 4 copies of 256 u32 at $h (copy j at $h + 1024·j takes
  ;; byte i where i mod 4 = j, so runs of one byte do not serialize on one counter).
  (func (export "hist8") (param $p i32) (param $n i32) (param $h i32)
    (local $end i32) (local $w i32) (local $a i32)
    (local.set $end (i32.add (local.get $p) (i32.and (local.get $n) (i32.const -4))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $w (i32.load (local.get $p)))
        (local.set $a (i32.add (local.get $h) (i32.shl (i32.and (local.get $w) (i32.const 0xff)) (i32.const 2))))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32.add (local.get $h) (i32.and (i32.shr_u (local.get $w) (i32.const 6)) (i32.const 0x3fc))))
        (i32.store offset=1024 (local.get $a) (i32.add (i32.load offset=1024 (local.get $a)) (i32.const 1)))
        (local.set $a (i32.add (local.get $h) (i32.and (i32.shr_u (local.get $w) (i32.const 14)) (i32.const 0x3fc))))
        (i32.store offset=2048 (local.get $a) (i32.add (i32.load offset=2048 (local.get $a)) (i32.const 1)))
        (local.set $a (i32.add (local.get $h) (i32.and (i32.shr_u (local.get $w) (i32.const 22)) (i32.const 0x3fc))))
        (i32.store offset=3072 (local.get $a) (i32.add (i32.load offset=3072 (local.get $a)) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $next)))
    (local.set $end (i32.add (local.get $end) (i32.and (local.get $n) (i32.const 3))))
    (block $tdone
      (loop $tail
        (br_if $tdone (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $a (i32.add (local.get $h) (i32.shl (i32.load8_u (local.get $p)) (i32.const 2))))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $tail))))

  ;; Histogram of n little-endian 16-bit codes at $p into 65536 u32 at $h, four codes per load.
  (func (export "hist16") (param $p i32) (param $n i32) (param $h i32)
    (local $end i32) (local $w i64) (local $a i32)
    (local.set $end (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 1))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $w (i64.load (local.get $p)))
        (local.set $a (i32.add (local.get $h) (i32.shl (i32.wrap_i64 (i64.and (local.get $w) (i64.const 0xffff))) (i32.const 2))))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32.add (local.get $h) (i32.wrap_i64 (i64.and (i64.shr_u (local.get $w) (i64.const 14)) (i64.const 0x3fffc)))))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32.add (local.get $h) (i32.wrap_i64 (i64.and (i64.shr_u (local.get $w) (i64.const 30)) (i64.const 0x3fffc)))))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32.add (local.get $h) (i32.wrap_i64 (i64.and (i64.shr_u (local.get $w) (i64.const 46)) (i64.const 0x3fffc)))))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $next)))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 1))))
    (block $tdone
      (loop $tail
        (br_if $tdone (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $a (i32.add (local.get $h) (i32.shl (i32.load16_u (local.get $p)) (i32.const 2))))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.const 2)))
        (br $tail))))

  ;; Horizontal min / max of 16 u8 lanes, and the sum of 4 i32 lanes.
  (func $minu8 (param $v v128) (result i32)
    (local.set $v (i8x16.min_u (local.get $v) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
    (local.set $v (i8x16.min_u (local.get $v) (i8x16.shuffle 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 (local.get $v) (local.get $v))))
    (local.set $v (i8x16.min_u (local.get $v) (i8x16.shuffle 2 3 0 1 2 3 0 1 2 3 0 1 2 3 0 1 (local.get $v) (local.get $v))))
    (local.set $v (i8x16.min_u (local.get $v) (i8x16.shuffle 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 (local.get $v) (local.get $v))))
    (i8x16.extract_lane_u 0 (local.get $v)))
  (func $maxu8 (param $v v128) (result i32)
    (local.set $v (i8x16.max_u (local.get $v) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
    (local.set $v (i8x16.max_u (local.get $v) (i8x16.shuffle 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 (local.get $v) (local.get $v))))
    (local.set $v (i8x16.max_u (local.get $v) (i8x16.shuffle 2 3 0 1 2 3 0 1 2 3 0 1 2 3 0 1 (local.get $v) (local.get $v))))
    (local.set $v (i8x16.max_u (local.get $v) (i8x16.shuffle 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 (local.get $v) (local.get $v))))
    (i8x16.extract_lane_u 0 (local.get $v)))
  (func $sum4 (param $v v128) (result i32)
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
      (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v)))))

  ;; Per-row figures of 8-bit codes, or of 4-bit codes two to a byte (low nibble first) when $nib.
  ;; n elements at $p (even when $nib), of which the first belongs to a row already $phase
  ;; elements in; rows are $len elements (even when $nib). Each row segment writes 4 i32 at $out:
  ;; min and max of the ordered code (code xor $xor: 0x80 / 0x08 makes signed codes unsigned-ordered),
  ;; and how many ordered codes equal $za and $zb.
  (func (export "rows8") (param $p i32) (param $n i32) (param $phase i32) (param $len i32)
        (param $xor i32) (param $za i32) (param $zb i32) (param $nib i32) (param $out i32)
    (local $seg i32) (local $bytes i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $seg (i32.sub (local.get $len) (local.get $phase)))
        (if (i32.gt_u (local.get $seg) (local.get $n)) (then (local.set $seg (local.get $n))))
        (local.set $bytes (if (result i32) (local.get $nib) (then (i32.shr_u (local.get $seg) (i32.const 1))) (else (local.get $seg))))
        (call $seg8 (local.get $p) (local.get $bytes) (local.get $xor) (local.get $za) (local.get $zb) (local.get $nib) (local.get $out))
        (local.set $p (i32.add (local.get $p) (local.get $bytes)))
        (local.set $n (i32.sub (local.get $n) (local.get $seg)))
        (local.set $phase (i32.const 0))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $next))))

  (func $seg8 (param $p i32) (param $bytes i32) (param $xor i32) (param $za i32) (param $zb i32) (param $nib i32) (param $out i32)
    (local $end i32) (local $v v128) (local $w v128) (local $x v128) (local $a v128) (local $b v128)
    (local $vmin v128) (local $vmax v128) (local $ca v128) (local $cb v128)
    (local $mn i32) (local $mx i32) (local $na i32) (local $nb i32) (local $c i32) (local $k i32) (local $d i32)
    (local.set $x (i8x16.splat (local.get $xor)))
    (local.set $a (i8x16.splat (local.get $za)))
    (local.set $b (i8x16.splat (local.get $zb)))
    (local.set $vmin (i8x16.splat (i32.const 255)))
    (local.set $end (i32.add (local.get $p) (i32.and (local.get $bytes) (i32.const -16))))
    (if (local.get $nib)
      (then
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $v (v128.load (local.get $p)))
            (local.set $w (v128.xor (v128.and (local.get $v) (i8x16.splat (i32.const 15))) (local.get $x)))
            (local.set $v (v128.xor (i8x16.shr_u (local.get $v) (i32.const 4)) (local.get $x)))
            (local.set $vmin (i8x16.min_u (local.get $vmin) (i8x16.min_u (local.get $v) (local.get $w))))
            (local.set $vmax (i8x16.max_u (local.get $vmax) (i8x16.max_u (local.get $v) (local.get $w))))
            (local.set $ca (i32x4.sub (local.get $ca) (i32x4.extadd_pairwise_i16x8_s (i16x8.extadd_pairwise_i8x16_s (i8x16.eq (local.get $v) (local.get $a))))))
            (local.set $ca (i32x4.sub (local.get $ca) (i32x4.extadd_pairwise_i16x8_s (i16x8.extadd_pairwise_i8x16_s (i8x16.eq (local.get $w) (local.get $a))))))
            (local.set $cb (i32x4.sub (local.get $cb) (i32x4.extadd_pairwise_i16x8_s (i16x8.extadd_pairwise_i8x16_s (i8x16.eq (local.get $v) (local.get $b))))))
            (local.set $cb (i32x4.sub (local.get $cb) (i32x4.extadd_pairwise_i16x8_s (i16x8.extadd_pairwise_i8x16_s (i8x16.eq (local.get $w) (local.get $b))))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $next))))
      (else
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $v (v128.xor (v128.load (local.get $p)) (local.get $x)))
            (local.set $vmin (i8x16.min_u (local.get $vmin) (local.get $v)))
            (local.set $vmax (i8x16.max_u (local.get $vmax) (local.get $v)))
            (local.set $ca (i32x4.sub (local.get $ca) (i32x4.extadd_pairwise_i16x8_s (i16x8.extadd_pairwise_i8x16_s (i8x16.eq (local.get $v) (local.get $a))))))
            (local.set $cb (i32x4.sub (local.get $cb) (i32x4.extadd_pairwise_i16x8_s (i16x8.extadd_pairwise_i8x16_s (i8x16.eq (local.get $v) (local.get $b))))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $next)))))
    (local.set $mn (call $minu8 (local.get $vmin)))
    (local.set $mx (call $maxu8 (local.get $vmax)))
    (local.set $na (call $sum4 (local.get $ca)))
    (local.set $nb (call $sum4 (local.get $cb)))
    ;; scalar tail: each byte holds one code, or two when $nib
    (local.set $end (i32.add (local.get $end) (i32.and (local.get $bytes) (i32.const 15))))
    (block $tdone
      (loop $tail
        (br_if $tdone (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $c (i32.load8_u (local.get $p)))
        (local.set $k (if (result i32) (local.get $nib) (then (i32.const 2)) (else (i32.const 1))))
        (block $bdone
          (loop $inner
            (br_if $bdone (i32.eqz (local.get $k)))
            (local.set $d (i32.xor (local.get $xor)
              (if (result i32) (local.get $nib) (then (i32.and (local.get $c) (i32.const 15))) (else (local.get $c)))))
            (if (i32.lt_u (local.get $d) (local.get $mn)) (then (local.set $mn (local.get $d))))
            (if (i32.gt_u (local.get $d) (local.get $mx)) (then (local.set $mx (local.get $d))))
            (if (i32.eq (local.get $d) (local.get $za)) (then (local.set $na (i32.add (local.get $na) (i32.const 1)))))
            (if (i32.eq (local.get $d) (local.get $zb)) (then (local.set $nb (i32.add (local.get $nb) (i32.const 1)))))
            (local.set $c (i32.shr_u (local.get $c) (i32.const 4)))
            (local.set $k (i32.sub (local.get $k) (i32.const 1)))
            (br $inner)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $tail)))
    (i32.store (local.get $out) (local.get $mn))
    (i32.store offset=4 (local.get $out) (local.get $mx))
    (i32.store offset=8 (local.get $out) (local.get $na))
    (i32.store offset=12 (local.get $out) (local.get $nb)))

  ;; Per-row figures of 16-bit float codes (sign and magnitude): as rows8, n codes at $p. Each row
  ;; segment writes 4 i32 at $out: min and max of the ordered code of its finite values (m for +m, −1−m for −m, as i16;
  ;; 0x7fff and −0x8000 when it has none),
  ;; zeros (±0), and non-finite codes (magnitude ≥ $inf: 0x7c00 float16, 0x7f80 bfloat16).
  (func (export "rows16") (param $p i32) (param $n i32) (param $phase i32) (param $len i32) (param $inf i32) (param $out i32)
    (local $seg i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $seg (i32.sub (local.get $len) (local.get $phase)))
        (if (i32.gt_u (local.get $seg) (local.get $n)) (then (local.set $seg (local.get $n))))
        (call $seg16 (local.get $p) (local.get $seg) (local.get $inf) (local.get $out))
        (local.set $p (i32.add (local.get $p) (i32.shl (local.get $seg) (i32.const 1))))
        (local.set $n (i32.sub (local.get $n) (local.get $seg)))
        (local.set $phase (i32.const 0))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $next))))

  (func $seg16 (param $p i32) (param $n i32) (param $inf i32) (param $out i32)
    (local $end i32) (local $v v128) (local $m v128) (local $o v128) (local $vinf v128) (local $nfm v128)
    (local $vmin v128) (local $vmax v128) (local $cz v128) (local $cn v128)
    (local $mn i32) (local $mx i32) (local $z i32) (local $nf i32) (local $c i32)
    (local.set $vinf (i16x8.splat (local.get $inf)))
    (local.set $vmin (i16x8.splat (i32.const 0x7fff)))
    (local.set $vmax (i16x8.splat (i32.const 0x8000)))
    (local.set $end (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -8)) (i32.const 1))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $v (v128.load (local.get $p)))
        (local.set $m (v128.and (local.get $v) (i16x8.splat (i32.const 0x7fff))))
        (local.set $o (v128.xor (local.get $v) (v128.and (i16x8.shr_s (local.get $v) (i32.const 15)) (i16x8.splat (i32.const 0x7fff)))))
        ;; non-finite lanes take no part in min / max
        (local.set $nfm (i16x8.ge_u (local.get $m) (local.get $vinf)))
        (local.set $vmin (i16x8.min_s (local.get $vmin) (v128.bitselect (i16x8.splat (i32.const 0x7fff)) (local.get $o) (local.get $nfm))))
        (local.set $vmax (i16x8.max_s (local.get $vmax) (v128.bitselect (i16x8.splat (i32.const 0x8000)) (local.get $o) (local.get $nfm))))
        (local.set $cz (i32x4.sub (local.get $cz) (i32x4.extadd_pairwise_i16x8_s (i16x8.eq (local.get $m) (v128.const i32x4 0 0 0 0)))))
        (local.set $cn (i32x4.sub (local.get $cn) (i32x4.extadd_pairwise_i16x8_s (local.get $nfm))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next)))
    (local.set $vmin (i16x8.min_s (local.get $vmin) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $vmin) (local.get $vmin))))
    (local.set $vmin (i16x8.min_s (local.get $vmin) (i8x16.shuffle 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 (local.get $vmin) (local.get $vmin))))
    (local.set $vmin (i16x8.min_s (local.get $vmin) (i8x16.shuffle 2 3 0 1 2 3 0 1 2 3 0 1 2 3 0 1 (local.get $vmin) (local.get $vmin))))
    (local.set $mn (i16x8.extract_lane_s 0 (local.get $vmin)))
    (local.set $vmax (i16x8.max_s (local.get $vmax) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $vmax) (local.get $vmax))))
    (local.set $vmax (i16x8.max_s (local.get $vmax) (i8x16.shuffle 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 (local.get $vmax) (local.get $vmax))))
    (local.set $vmax (i16x8.max_s (local.get $vmax) (i8x16.shuffle 2 3 0 1 2 3 0 1 2 3 0 1 2 3 0 1 (local.get $vmax) (local.get $vmax))))
    (local.set $mx (i16x8.extract_lane_s 0 (local.get $vmax)))
    (local.set $z (call $sum4 (local.get $cz)))
    (local.set $nf (call $sum4 (local.get $cn)))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 7)) (i32.const 1))))
    (block $tdone
      (loop $tail
        (br_if $tdone (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $c (i32.load16_u (local.get $p)))
        (if (i32.eqz (i32.and (local.get $c) (i32.const 0x7fff))) (then (local.set $z (i32.add (local.get $z) (i32.const 1)))))
        (if (i32.ge_u (i32.and (local.get $c) (i32.const 0x7fff)) (local.get $inf))
          (then (local.set $nf (i32.add (local.get $nf) (i32.const 1))))
          (else
            (local.set $c (if (result i32) (i32.and (local.get $c) (i32.const 0x8000))
              (then (i32.sub (i32.const -1) (i32.and (local.get $c) (i32.const 0x7fff)))) (else (local.get $c))))
            (if (i32.lt_s (local.get $c) (local.get $mn)) (then (local.set $mn (local.get $c))))
            (if (i32.gt_s (local.get $c) (local.get $mx)) (then (local.set $mx (local.get $c))))))
        (local.set $p (i32.add (local.get $p) (i32.const 2)))
        (br $tail)))
    (i32.store (local.get $out) (local.get $mn))
    (i32.store offset=4 (local.get $out) (local.get $mx))
    (i32.store offset=8 (local.get $out) (local.get $z))
    (i32.store offset=12 (local.get $out) (local.get $nf)))
)
