//! Story clustering: group articles into the events they report.
//! Pure: no I/O. (Stub: being filled in.)
use stemma_core::Article;

/// Groups `articles` into stories; `linked` pairs (derivations) must share a
/// story. Returns clusters of indices; every index is in exactly one.
pub fn cluster(articles: &[Article], linked: &[(usize, usize)]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..articles.len()).collect();
    fn find(p: &mut [usize], x: usize) -> usize {
        let mut r = x;
        while p[r] != r {
            r = p[r];
        }
        p[x] = r;
        r
    }
    for &(a, b) in linked {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        parent[ra.max(rb)] = ra.min(rb);
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for i in 0..articles.len() {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    groups.into_values().collect()
}
