;; The cosine scan's inner loop for `find`, in WebAssembly SIMD (Node 20 has it on by default):
;; dot products of one int16 query with many int8 rows, eight multiply-adds per instruction
;; (i32x4.dot_i16x8_s) where JavaScript does one. Compiled to dist by scripts/build-wasm.mjs.
;;
;; dots(vectors, dims, ids, n, query, out): for i in [0, n), with row = vectors + ids[i] * dims,
;; out[i] = Σ over d in [0, dims) of row[d] (i8) × query[d] (i16), as i32.
;; The query must be scaled so that no sum leaves i32 (|q| ≤ 2^14 keeps 127 · 2^14 · 1024 < 2^31).
(module
  (memory (export "memory") 1)
  (func (export "dots")
    (param $vectors i32) (param $dims i32) (param $ids i32) (param $n i32)
    (param $query i32) (param $out i32)
    (local $i i32) (local $row i32) (local $d i32) (local $end16 i32)
    (local $acc v128) (local $x v128) (local $sum i32)
    ;; the last d at which sixteen values remain
    (local.set $end16 (i32.and (local.get $dims) (i32.const -16)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $row (i32.add (local.get $vectors)
          (i32.mul (i32.load (i32.add (local.get $ids) (i32.shl (local.get $i) (i32.const 2)))) (local.get $dims))))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $d (i32.const 0))
        (block $wide_done
          (loop $wide
            (br_if $wide_done (i32.ge_u (local.get $d) (local.get $end16)))
            (local.set $x (v128.load align=1 (i32.add (local.get $row) (local.get $d))))
            (local.set $acc (i32x4.add (local.get $acc)
              (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $x))
                (v128.load align=2 (i32.add (local.get $query) (i32.shl (local.get $d) (i32.const 1)))))))
            (local.set $acc (i32x4.add (local.get $acc)
              (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $x))
                (v128.load offset=16 align=2 (i32.add (local.get $query) (i32.shl (local.get $d) (i32.const 1)))))))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (br $wide)))
        (local.set $sum (i32.add
          (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
          (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))
        ;; the rest, one at a time (dimensions that are not a multiple of sixteen)
        (block $tail_done
          (loop $tail
            (br_if $tail_done (i32.ge_u (local.get $d) (local.get $dims)))
            (local.set $sum (i32.add (local.get $sum)
              (i32.mul (i32.load8_s (i32.add (local.get $row) (local.get $d)))
                (i32.load16_s (i32.add (local.get $query) (i32.shl (local.get $d) (i32.const 1)))))))
            (local.set $d (i32.add (local.get $d) (i32.const 1)))
            (br $tail)))
        (i32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))) (local.get $sum))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))))
