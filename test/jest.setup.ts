/**
 * Unit tests read templates, not asset files: skip copying assets (each environment would copy
 * ~57 MB of kubectl and AWS CLI layers into a temp dir that nobody removes). Asset hashes, and so
 * the templates, are unchanged. Tests that scan assets re-enable staging for their own app.
 */
process.env.CDK_CONTEXT_JSON ??= JSON.stringify({ 'aws:cdk:disable-asset-staging': true });
