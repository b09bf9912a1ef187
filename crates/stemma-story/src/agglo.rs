//! Average-link agglomeration over a sparse similarity graph (absent pairs
//! count as similarity 0), with must-link groups merged first.

use std::collections::{BinaryHeap, HashMap};

struct Group {
    members: Vec<usize>,
    /// Sum of pair similarities to each neighbouring group (by group id).
    links: HashMap<usize, f64>,
    version: u32,
}

#[derive(PartialEq)]
struct Cand {
    avg: f64,
    a: usize,
    b: usize,
    va: u32,
    vb: u32,
}

impl Eq for Cand {}
impl PartialOrd for Cand {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Cand {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        // Highest average first; ties to the lowest ids, for determinism.
        self.avg
            .total_cmp(&o.avg)
            .then_with(|| o.a.cmp(&self.a))
            .then_with(|| o.b.cmp(&self.b))
    }
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// Clusters `n` items. `pairs` are `(i, j, sim)`; `linked` pairs end in one
/// cluster whatever their similarity. Groups merge while the best mean
/// cross-pair similarity is at least `threshold`. Output: clusters of sorted
/// indices, ordered by their smallest index.
pub(crate) fn average_link(
    n: usize,
    pairs: &[(usize, usize, f32)],
    linked: &[(usize, usize)],
    threshold: f32,
) -> Vec<Vec<usize>> {
    // Must-link components become the starting groups.
    let mut parent: Vec<usize> = (0..n).collect();
    for &(a, b) in linked {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    let root: Vec<usize> = (0..n).map(|i| find(&mut parent, i)).collect();
    let mut groups: Vec<Option<Group>> = (0..n).map(|_| None).collect();
    for (i, &r) in root.iter().enumerate() {
        groups[r]
            .get_or_insert_with(|| Group {
                members: Vec::new(),
                links: HashMap::new(),
                version: 0,
            })
            .members
            .push(i);
    }
    for &(i, j, s) in pairs {
        let (ri, rj) = (root[i], root[j]);
        if ri == rj {
            continue;
        }
        for (x, y) in [(ri, rj), (rj, ri)] {
            *groups[x]
                .as_mut()
                .expect("root")
                .links
                .entry(y)
                .or_insert(0.0) += f64::from(s);
        }
    }
    let size = |g: &Option<Group>| g.as_ref().map_or(0, |g| g.members.len()) as f64;
    let mut heap = BinaryHeap::new();
    for a in 0..n {
        let Some(g) = &groups[a] else { continue };
        for (&b, &s) in &g.links {
            if a < b {
                let avg = s / (size(&groups[a]) * size(&groups[b]));
                heap.push(Cand {
                    avg,
                    a,
                    b,
                    va: 0,
                    vb: 0,
                });
            }
        }
    }
    let threshold = f64::from(threshold);
    while let Some(c) = heap.pop() {
        if c.avg < threshold {
            break;
        }
        let current = |g: &Option<Group>, v: u32| g.as_ref().is_some_and(|g| g.version == v);
        if !current(&groups[c.a], c.va) || !current(&groups[c.b], c.vb) {
            continue;
        }
        // Merge b into a.
        let gb = groups[c.b].take().expect("live");
        let mut ga = groups[c.a].take().expect("live");
        ga.members.extend(gb.members);
        ga.links.remove(&c.b);
        for (k, s) in gb.links {
            if k == c.a {
                continue;
            }
            *ga.links.entry(k).or_insert(0.0) += s;
            let gk = groups[k].as_mut().expect("neighbour");
            gk.links.remove(&c.b);
            *gk.links.entry(c.a).or_insert(0.0) += s;
        }
        ga.version += 1;
        let sa = ga.members.len() as f64;
        let mut fresh: Vec<(usize, f64)> = ga.links.iter().map(|(&k, &s)| (k, s)).collect();
        fresh.sort_unstable_by_key(|&(k, _)| k);
        groups[c.a] = Some(ga);
        for (k, s) in fresh {
            let gk = groups[k].as_ref().expect("neighbour");
            let avg = s / (sa * gk.members.len() as f64);
            let (a, b) = (c.a.min(k), c.a.max(k));
            let va = groups[a].as_ref().expect("live").version;
            let vb = groups[b].as_ref().expect("live").version;
            heap.push(Cand { avg, a, b, va, vb });
        }
    }
    let mut out: Vec<Vec<usize>> = groups
        .into_iter()
        .flatten()
        .map(|mut g| {
            g.members.sort_unstable();
            g.members
        })
        .collect();
    out.sort_unstable_by_key(|m| m[0]);
    out
}
