// Read by the Prisma CLI (`prisma generate`, and `prisma migrate deploy` where the native
// engine exists). Quire's own migrate command reads the same schema and migrations folder.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? '' },
});
