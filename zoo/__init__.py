"""The starter zoo's development code: the procedural world (`zoo.world`), the judge CNN (`zoo.judge`, with its
committed weights), the trainer (`zoo.train`) and the rater (`zoo.rate`).

Used by `dgpt zoo train|rate` and the benchmarks, never by the product: the shipped starter models load through
`tools.starter.StarterPipeline` (via `tools.pipelines`), which imports nothing from here.
"""
