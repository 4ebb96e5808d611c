/** Reads a synthesized template as a dependency graph (DependsOn, Ref, Fn::GetAtt, Fn::Sub). */
export function dependencies(template: any, logicalId: string): Set<string> {
  const resource = template.Resources[logicalId];
  const found = new Set<string>([resource.DependsOn ?? []].flat());
  const visit = (node: any): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries<any>(node)) {
      if (key === 'Ref' && typeof value === 'string') {
        found.add(value);
      } else if (key === 'Fn::GetAtt') {
        found.add(Array.isArray(value) ? value[0] : String(value).split('.')[0]);
      } else if (key === 'Fn::Sub') {
        const text = Array.isArray(value) ? value[0] : value;
        for (const m of String(text).matchAll(/\$\{([A-Za-z0-9]+)[.}]/g)) found.add(m[1]);
        visit(value);
      } else {
        visit(value);
      }
    }
  };
  visit(resource.Properties ?? {});
  return new Set([...found].filter(id => id in template.Resources));
}

/** Every resource `logicalId` waits for, directly or not. */
export function transitiveDependencies(template: any, logicalId: string): Set<string> {
  const seen = new Set<string>();
  const stack = [logicalId];
  while (stack.length > 0) {
    for (const dep of dependencies(template, stack.pop()!)) {
      if (!seen.has(dep)) {
        seen.add(dep);
        stack.push(dep);
      }
    }
  }
  return seen;
}
